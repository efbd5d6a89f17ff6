package dev.batchwise.sink;

import dev.batchwise.util.FileFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** The formats batchwise writes. */
public enum OutputFormat implements FileFormat {
    JSONL,
    CSV,
    /** Apache Parquet ({@link ParquetResultWriter}): readable only once complete, so never continued. */
    PARQUET,
    /**
     * A NumPy array of the vectors ({@link NpyResultWriter}), with the ids beside it as JSON Lines;
     * written to a file channel, not a stream, so opened by the run layer, not by {@link #open}.
     */
    NPY;

    @Override
    public List<String> suffixes() {
        return switch (this) {
            case JSONL -> List.of(".jsonl", ".ndjson", ".json");
            case CSV -> List.of(".csv");
            case PARQUET -> List.of(".parquet");
            case NPY -> List.of(".npy");
        };
    }

    /**
     * @param header whether to start with CSV's header row; false when appending to an output that has
     *     one (a resumed run). JSON Lines has none.
     */
    public ResultWriter open(OutputStream out, OutputLayout layout, boolean header) throws IOException {
        return switch (this) {
            case JSONL -> new JsonlResultWriter(out, layout);
            case CSV -> new CsvResultWriter(out, layout, header);
            case PARQUET -> new ParquetResultWriter(out, layout);
            case NPY -> throw new UnsupportedOperationException(".npy is written to a file channel: NpyResultWriter");
        };
    }

    /** Whether a stopped run's output in this format can be continued ({@code --resume}). */
    public boolean continuable() {
        return this != PARQUET;
    }

    /** Whether this format is bytes, not text: it is written to a file, never to standard output. */
    public boolean binary() {
        return this == PARQUET || this == NPY;
    }

    /**
     * How a record's key appears in an output line of this format: its JSON text in JSON Lines, its
     * cell in CSV. For comparing keys with those read back from a partial output.
     */
    public String keyText(Object key) throws IOException {
        return this == CSV ? Values.cell(key) : Values.json(key); // .npy's ids file is JSON Lines
    }

    /**
     * A value a function returned, in a form this format's writer cannot fail on (see
     * {@link Values#prepare}); for a worker to call, outside the sink's lock.
     *
     * @throws UnwritableValueException when the value cannot be written in this format
     */
    public Object prepare(Object value) throws UnwritableValueException {
        if (binary() && (value instanceof Float16Vector || value instanceof Int8Vector
                || value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof dev.batchwise.result.TextChunk)) {
            return value; // vectors these writers write as they are
        }
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
