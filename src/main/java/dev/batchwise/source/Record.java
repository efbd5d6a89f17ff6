package dev.batchwise.source;

import dev.batchwise.util.Phrase;
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
    private final Phrase problem;
    private final String raw;
    private final Long originalSeq;
    private final Fields salvaged;
    private final String salvagedKey;

    private Record(long seq, Origin origin, Fields fields, Phrase problem, String raw, Long originalSeq,
            Fields salvaged, String salvagedKey) {
        this.seq = seq;
        this.origin = Objects.requireNonNull(origin);
        this.fields = fields;
        this.problem = problem;
        this.raw = raw;
        this.originalSeq = originalSeq;
        this.salvaged = salvaged;
        this.salvagedKey = salvagedKey;
    }

    public static Record of(long seq, Origin origin, Fields fields) {
        return new Record(seq, origin, Objects.requireNonNull(fields), null, null, null, null, null);
    }

    /**
     * A record read back from an errors file: its fields (or, for one that could not be parsed when
     * first read, its problem and raw text) as they were, and its sequence number in the run that
     * first failed it.
     *
     * @param fields the record's own fields, or {@code null} for one that could not be parsed
     */
    static Record again(long seq, Origin origin, Fields fields, Phrase problem, String raw, long originalSeq) {
        return again(seq, origin, fields, problem, raw, originalSeq, null);
    }

    /**
     * As {@link #again(long, Origin, Fields, Phrase, String, long)}, for a record that could not be
     * parsed whose id column's value was salvaged when it was first read ({@link #salvagedValue}).
     */
    static Record again(long seq, Origin origin, Fields fields, Phrase problem, String raw, long originalSeq,
            String salvagedKey) {
        return new Record(seq, origin, fields, fields == null ? Objects.requireNonNull(problem) : null,
                fields == null ? raw : null, originalSeq, null, fields == null ? salvagedKey : null);
    }

    /** A record that could not be read; {@code problem} says why, without the origin. */
    public static Record bad(long seq, Origin origin, String problem) {
        return bad(seq, origin, Phrase.text(problem), null);
    }

    /** A record that could not be read; {@code problem} says why, without the origin, naming settings. */
    public static Record bad(long seq, Origin origin, Phrase problem) {
        return bad(seq, origin, problem, null);
    }

    /**
     * A record that could not be read, with its text as read.
     *
     * @param raw the record's text, or {@code null} when it was not kept (a line over the size limit,
     *     a line that is not UTF-8)
     */
    public static Record bad(long seq, Origin origin, Phrase problem, String raw) {
        return bad(seq, origin, problem, raw, null);
    }

    /**
     * A record that could not be read, with its text as read and the fields that could still be told
     * apart (a CSV row with too few or too many fields).
     *
     * @param salvaged the row's values by column, not run, only to key its output line; or {@code null}
     */
    static Record bad(long seq, Origin origin, Phrase problem, String raw, Fields salvaged) {
        return new Record(seq, origin, null, Objects.requireNonNull(problem), raw, null, salvaged, null);
    }

    /** This record under another sequence number. */
    public Record withSeq(long newSeq) {
        return new Record(newSeq, origin, fields, problem, raw, originalSeq, salvaged, salvagedKey);
    }

    /**
     * For a bad record, the value that column had as far as it could be told apart (the text of a CSV
     * cell in a row with too few or too many fields), so that its output line keeps the key the row
     * had; for a bad record read back from an errors file, the value salvaged when it was first read.
     * {@code null} when there is none, and for a good record.
     */
    public Object salvagedValue(String column) {
        if (salvaged != null) {
            return salvaged.get(column);
        }
        return salvagedKey;
    }

    /**
     * For a record read from an errors file, its sequence number in the run that first failed it, so
     * that it keeps that number, and with it its default id, however often it is run again; else
     * {@code null}.
     */
    public Long originalSeq() {
        return originalSeq;
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
    public Phrase problem() {
        return problem;
    }

    /**
     * For a bad record, its text as read, so that it can be shown and fixed; {@code null} for a good
     * record, and for a bad one whose text was not kept. Held only until the record is written.
     */
    public String raw() {
        return raw;
    }

    public boolean isBad() {
        return problem != null;
    }

    @Override
    public String toString() {
        return "#" + seq + "@" + origin + (problem != null ? " bad: " + problem : "");
    }
}
