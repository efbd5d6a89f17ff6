package dev.batchwise.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/** The formats batchwise writes. */
public enum OutputFormat {
    JSONL,
    CSV;

    /**
     * @param header whether to start with CSV's header row; false when appending to an output that has
     *     one (a resumed run). JSON Lines has none.
     */
    public ResultWriter open(OutputStream out, OutputLayout layout, boolean header) throws IOException {
        return this == JSONL ? new JsonlResultWriter(out, layout) : new CsvResultWriter(out, layout, header);
    }

    /**
     * How a record's key appears in an output line of this format: its JSON text in JSON Lines, its
     * cell in CSV. For comparing keys with those read back from a partial output.
     */
    public String keyText(Object key) throws IOException {
        return this == JSONL ? Values.json(key) : Values.cell(key);
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
