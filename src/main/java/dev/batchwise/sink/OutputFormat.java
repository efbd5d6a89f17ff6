package dev.batchwise.sink;

import dev.batchwise.util.FileFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The formats batchwise writes. */
public enum OutputFormat implements FileFormat {
    JSONL,
    CSV;

    @Override
    public List<String> suffixes() {
        return switch (this) {
            case JSONL -> List.of(".jsonl", ".ndjson", ".json");
            case CSV -> List.of(".csv");
        };
    }

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

    /**
     * A value a function returned, in a form this format's writer cannot fail on (see
     * {@link Values#prepare}); for a worker to call, outside the sink's lock.
     *
     * @throws UnwritableValueException when the value cannot be written in this format
     */
    public Object prepare(Object value) throws UnwritableValueException {
        return Values.prepare(value, this == CSV);
    }

    /** The format a file name implies, or {@code null}. */
    public static OutputFormat fromFileName(String name) {
        return FileFormat.fromFileName(name, values(), false);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
