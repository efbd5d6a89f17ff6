package dev.batchwise.batching;

/**
 * How the queue forms batches.
 *
 * @param maxBatchSize the most items in one batch
 * @param maxDelayNanos how long to hold items back for a fuller batch, counted from the arrival of the
 *     oldest waiting item (as Triton and TF Serving count it). 0: send whatever is pending at once, as
 *     Gradio does.
 * @param maxBatchWeight the most a batch may weigh, counting padding: items × the heaviest item's
 *     weight (for a model, tokens after padding to the longest record). 0: no limit. A single item
 *     heavier than this still goes, alone.
 * @param groupByWeight pick the oldest item's batch-mates among the pending items of similar weight,
 *     instead of in arrival order, so batches waste less on padding
 * @param lookahead how many of the oldest pending items grouping may choose from; the oldest always
 *     goes in the next batch, so no item waits behind more than {@code lookahead} others
 * @param queueTimeoutNanos how long an item may wait in the queue: one that has waited longer when a
 *     worker next asks is not run but handed out as expired (Triton's REJECT timeout policy). 0: no limit.
 */
public record BatchPolicy(int maxBatchSize, long maxDelayNanos, long maxBatchWeight, boolean groupByWeight,
        int lookahead, long queueTimeoutNanos) {

    public BatchPolicy {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, not " + maxBatchSize);
        }
        if (maxDelayNanos < 0) {
            throw new IllegalArgumentException("max delay must not be negative");
        }
        if (maxBatchWeight < 0) {
            throw new IllegalArgumentException("max batch weight must not be negative");
        }
        if (lookahead < maxBatchSize) {
            throw new IllegalArgumentException("lookahead (" + lookahead + ") must be at least the max batch size ("
                    + maxBatchSize + ")");
        }
        if (queueTimeoutNanos < 0) {
            throw new IllegalArgumentException("queue timeout must not be negative");
        }
    }

    /** A policy without a queue timeout. */
    public BatchPolicy(int maxBatchSize, long maxDelayNanos, long maxBatchWeight, boolean groupByWeight, int lookahead) {
        this(maxBatchSize, maxDelayNanos, maxBatchWeight, groupByWeight, lookahead, 0);
    }

    /** This policy, with items expiring after {@code nanos} in the queue (0: never). */
    public BatchPolicy withQueueTimeout(long nanos) {
        return new BatchPolicy(maxBatchSize, maxDelayNanos, maxBatchWeight, groupByWeight, lookahead, nanos);
    }

    /** Arrival-order batches of up to {@code maxBatchSize}, held back at most {@code maxDelayNanos}. */
    public static BatchPolicy of(int maxBatchSize, long maxDelayNanos) {
        return new BatchPolicy(maxBatchSize, maxDelayNanos, 0, false, maxBatchSize);
    }
}
