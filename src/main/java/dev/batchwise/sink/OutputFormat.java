package dev.batchwise.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The formats batchwise writes. */
public enum OutputFormat {
    JSONL,
    CSV;

    public ResultWriter open(OutputStream out, OutputLayout layout) throws IOException {
        return this == JSONL ? new JsonlResultWriter(out, layout) : new CsvResultWriter(out, layout);
    }

    /** The format a file name implies, or {@code null}. */
    public static OutputFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        return null;
    }
}
