package dev.batchwise.source;

import java.util.Objects;

/**
 * One input record, stamped with its sequence number (1-based, counted over all inputs in the order
 * read) and its origin. A record that could not be parsed carries a {@link #problem()} instead of
 * fields: it still has its place in the output, as a failed record.
 */
public final class Record {

    private final long seq;
    private final Origin origin;
    private final Fields fields;
    private final String problem;

    private Record(long seq, Origin origin, Fields fields, String problem) {
        this.seq = seq;
        this.origin = Objects.requireNonNull(origin);
        this.fields = fields;
        this.problem = problem;
    }

    public static Record of(long seq, Origin origin, Fields fields) {
        return new Record(seq, origin, Objects.requireNonNull(fields), null);
    }

    /** A record that could not be read; {@code problem} says why, without the origin. */
    public static Record bad(long seq, Origin origin, String problem) {
        return new Record(seq, origin, null, Objects.requireNonNull(problem));
    }

    public long seq() {
        return seq;
    }

    public Origin origin() {
        return origin;
    }

    /** The fields, or {@code null} for a bad record. */
    public Fields fields() {
        return fields;
    }

    /** Why this record could not be read, or {@code null}. */
    public String problem() {
        return problem;
    }

    public boolean isBad() {
        return problem != null;
    }

    @Override
    public String toString() {
        return "#" + seq + "@" + origin + (problem != null ? " bad: " + problem : "");
    }
}
