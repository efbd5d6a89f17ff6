package dev.batchwise.source;

import java.io.IOException;
import java.util.List;

/** Reads plain text: each line is a record with one field, {@code text}. Blank lines are records too. */
final class TextReader implements RecordReader {

    static final String FIELD = "text";
    private static final List<String> COLUMNS = List.of(FIELD);

    private final String source;
    private final LineReader lines;

    TextReader(String source, LineReader lines) {
        this.source = source;
        this.lines = lines;
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public Record next(long seq) throws IOException {
        if (!lines.next()) {
            return null;
        }
        Origin origin = new Origin(source, lines.lineNumber());
        if (lines.status() != LineReader.Status.OK) {
            return Record.bad(seq, origin, lines.problem());
        }
        return Record.of(seq, origin, new TextFields(lines.text()));
    }

    @Override
    public boolean ready() {
        return lines.ready();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }

    private record TextFields(String text) implements Fields {
        @Override
        public Object get(String name) {
            return FIELD.equals(name) ? text : null;
        }

        @Override
        public List<String> names() {
            return COLUMNS;
        }
    }
}
