package dev.batchwise.result;

import dev.batchwise.source.Origin;
import dev.batchwise.source.Record;
import dev.batchwise.util.Sequenced;

/**
 * The outcome of one record: its outputs (in the signature's output order) or a failure, and its
 * timing. Timing fields are 0 and {@code batchSize} is 0 for a record that never ran.
 */
public final class Result implements Sequenced {
    private final long seq;
    private final Object key;
    private final Origin origin;
    /** The input record of a failed result, for the errors file; {@code null} for a success. */
    private final Record input;
    private final Object[] outputs;
    private final Failure failure;
    private final long queueNanos;
    private final long computeNanos;
    private final long latencyNanos;
    private final int batchSize;
    /** The values of the {@code --keep} columns, in their order ({@code null} where absent), or {@code null} for none. */
    private final Object[] kept;
    /** Generation: from the intended arrival to the first output token; -1 for a record that generated none. */
    private final long firstTokenNanos;

    /**
     * @param input the record as read; kept only for a failed result
     */
    public Result(long seq, Object key, Origin origin, Object[] outputs, Failure failure, Record input, long queueNanos,
            long computeNanos, long latencyNanos, int batchSize) {
        this(seq, key, origin, outputs, failure, input, queueNanos, computeNanos, latencyNanos, batchSize, null);
    }

    /**
     * @param input the record as read; kept only for a failed result
     * @param kept the values of the {@code --keep} columns, or {@code null} when none are kept
     */
    public Result(long seq, Object key, Origin origin, Object[] outputs, Failure failure, Record input, long queueNanos,
            long computeNanos, long latencyNanos, int batchSize, Object[] kept) {
        this(seq, key, origin, outputs, failure, input, queueNanos, computeNanos, latencyNanos, batchSize, kept, -1);
    }

    /**
     * A generated record's result.
     *
     * @param firstTokenNanos from its intended arrival to its first output token; -1 when it generated none
     */
    public Result(long seq, Object key, Origin origin, Object[] outputs, Failure failure, Record input, long queueNanos,
            long computeNanos, long latencyNanos, int batchSize, Object[] kept, long firstTokenNanos) {
        this.kept = kept;
        this.firstTokenNanos = firstTokenNanos;
        this.seq = seq;
        this.key = key;
        this.origin = origin;
        this.input = failure == null ? null : input;
        this.outputs = outputs;
        this.failure = failure;
        this.queueNanos = queueNanos;
        this.computeNanos = computeNanos;
        this.latencyNanos = latencyNanos;
        this.batchSize = batchSize;
    }

    /** A record that failed before it reached the function (it could not be read, bound or queued). */
    public static Result failedBeforeRunning(Record record, Object key, Failure failure) {
        return failedBeforeRunning(record, key, failure, null);
    }

    /** As {@link #failedBeforeRunning(Record, Object, Failure)}, with the values of the {@code --keep} columns. */
    public static Result failedBeforeRunning(Record record, Object key, Failure failure, Object[] kept) {
        return new Result(record.seq(), key, record.origin(), null, failure, record, 0, 0, 0, 0, kept);
    }

    /**
     * The values of the {@code --keep} columns, in their order, {@code null} for a column the record
     * lacks (or for all, when it could not be parsed); {@code null} when no column is kept.
     */
    public Object[] kept() {
        return kept;
    }

    @Override
    public long seq() {
        return seq;
    }

    public Object key() {
        return key;
    }

    public Origin origin() {
        return origin;
    }

    /** The outputs, or {@code null} when the record failed. */
    public Object[] outputs() {
        return outputs;
    }

    /** For a failed result, the record as read (its fields, or its raw text when it could not be parsed); else {@code null}. */
    public Record input() {
        return input;
    }

    /** This failed result with {@code other} as its failure (the same one, said another way). */
    public Result withFailure(Failure other) {
        return new Result(seq, key, origin, outputs, other, input, queueNanos, computeNanos, latencyNanos, batchSize,
                kept, firstTokenNanos);
    }

    /** The failure, or {@code null} when the record succeeded. */
    public Failure failure() {
        return failure;
    }

    public boolean failed() {
        return failure != null;
    }

    public long queueNanos() {
        return queueNanos;
    }

    public long computeNanos() {
        return computeNanos;
    }

    public long latencyNanos() {
        return latencyNanos;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Generation: from the intended arrival to the first output token; -1 for a record that generated none. */
    public long firstTokenNanos() {
        return firstTokenNanos;
    }
}
