package dev.batchwise.source;

import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.util.List;

/**
 * One line of an OpenAI batch file as a record's fields: the one field {@link #FIELD}, whose value
 * (a {@link POJONode}, so that it binds as a JSON parameter) holds this object, which holds the line's
 * own fields as read and its line number in the input. The run parses the line ({@code openai} reads
 * {@link #line()}) on the intake thread; nothing here looks inside it.
 *
 * <p>{@link #note} is where the run keeps what it decided about the line on the intake thread (why it
 * refused it) for the writer of its answer, which sees the record again when the line fails: written
 * once by the intake thread before the record reaches the sink, read under the sink's lock after.
 */
public final class BatchLine implements Fields {

    /** The name of the one field of a batch file's records. */
    public static final String FIELD = "request";

    private final Fields line;
    private final long seq;
    private final POJONode value = new POJONode(this);
    private volatile Object note;

    BatchLine(Fields line, long seq) {
        this.line = line;
        this.seq = seq;
    }

    /** The line's own fields, as the JSONL reader gives them. */
    public Fields line() {
        return line;
    }

    /** The line's number among the records of the run's inputs (1-based), which a resumed run gives again. */
    public long seq() {
        return seq;
    }

    /** The batch line a record's {@link #FIELD} value stands for, or {@code null} when it is not one. */
    public static BatchLine of(Object value) {
        return value instanceof POJONode p && p.getPojo() instanceof BatchLine b ? b : null;
    }

    /** What the run decided about this line on the intake thread, or {@code null}. */
    public Object note() {
        return note;
    }

    public void note(Object decided) {
        note = decided;
    }

    @Override
    public Object get(String name) {
        return FIELD.equals(name) ? value : null;
    }

    @Override
    public List<String> names() {
        return List.of(FIELD);
    }

    /** Reads a JSON Lines input as batch lines: a record that could not be parsed as JSON stays as it is. */
    static final class Reader implements RecordReader {
        private final RecordReader lines;

        Reader(RecordReader lines) {
            this.lines = lines;
        }

        @Override
        public Record next(long seq) throws IOException {
            Record r = lines.next(seq);
            if (r == null || r.isBad()) {
                return r;
            }
            return Record.of(r.seq(), r.origin(), new BatchLine(r.fields(), r.seq()));
        }

        /** The one field, whatever the first line holds: a malformed first line fails alone. */
        @Override
        public List<String> columns() throws IOException {
            return List.of(FIELD);
        }

        @Override
        public boolean ready() {
            return lines.ready();
        }

        @Override
        public String endNote() {
            return lines.endNote();
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
