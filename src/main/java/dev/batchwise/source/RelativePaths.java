package dev.batchwise.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The records of a stream with one column's relative file paths resolved against the directory of
 * the input file each record came from, so that a CSV or JSONL file that lists images by paths
 * relative to itself works from any working directory. Absolute paths, blank values and values that
 * are not text are left alone, as are records of standard input (resolved against the working
 * directory, as given), of image listings (whose paths are relative to the working directory
 * already) and records read back from an errors file (written as the run that failed them read them:
 * listings' paths as they were, lists' paths resolved already, so relative to that run's working
 * directory).
 *
 * <p>Not thread-safe: one thread reads, as for the stream it wraps.
 */
public final class RelativePaths implements RecordStream {

    private final RecordStream records;
    private final String column;
    /** The last input seen and its directory, since records come input by input. */
    private String lastSource;
    private Path lastDirectory;

    public RelativePaths(RecordStream records, String column) {
        this.records = records;
        this.column = column;
    }

    @Override
    public Record next() throws InputException {
        Record r = records.next();
        if (r == null || r.isBad() || r.fields() instanceof ImageFileReader.ImageFileFields
                || r.originalSeq() != null) {
            return r;
        }
        Object value = r.fields().get(column);
        String text = value instanceof String s ? s : value instanceof JsonNode n && n.isTextual() ? n.textValue() : null;
        if (text == null || text.isBlank()) {
            return r;
        }
        Path dir = directoryOf(r.origin().source());
        if (dir == null) {
            return r;
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            return r; // left as it is: opening it says what is wrong
        }
        if (path.isAbsolute()) {
            return r;
        }
        String resolved = dir.resolve(path).toString();
        return Record.of(r.seq(), r.origin(), new Resolved(r.fields(), column, resolved));
    }

    /** The directory relative paths of this input are resolved against, or {@code null} for none. */
    private Path directoryOf(String source) {
        if (!source.equals(lastSource)) {
            lastSource = source;
            lastDirectory = null;
            if (!source.equals(Input.STDIN_NAME)) {
                try {
                    lastDirectory = Path.of(source).getParent();
                } catch (InvalidPathException e) {
                    lastDirectory = null;
                }
            }
        }
        return lastDirectory;
    }

    @Override
    public boolean ready() {
        return records.ready();
    }

    @Override
    public long recordsRead() {
        return records.recordsRead();
    }

    /** A record's fields with one of them replaced. */
    private record Resolved(Fields fields, String column, String value) implements Fields {
        @Override
        public Object get(String name) {
            return column.equals(name) ? value : fields.get(name);
        }

        @Override
        public List<String> names() {
            return fields.names();
        }
    }
}
