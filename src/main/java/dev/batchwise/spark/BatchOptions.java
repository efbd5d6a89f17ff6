package dev.batchwise.spark;

import dev.batchwise.batching.BatchPolicy;
import java.io.Serializable;

/**
 * How each partition's records are batched: the command line's batching options, less those about
 * time (a partition's records are all there; nothing waits for more to arrive).
 *
 * @param maxBatchSize the most records in one call
 * @param maxBatchTokens the most a batch may cost in tokens, padding included (records × longest);
 *     0: no cap
 * @param groupByLength whether to group records of similar length among the next {@code lookahead};
 *     {@code null}: for models (whose records have a length) yes, for functions no
 * @param lookahead how many of the next records grouping chooses from, at least {@code maxBatchSize};
 *     0 for 1024 (the command line's queue capacity), or the batch size if larger
 */
public record BatchOptions(int maxBatchSize, long maxBatchTokens, Boolean groupByLength, int lookahead)
        implements Serializable {

    static final int DEFAULT_LOOKAHEAD = 1024;

    public BatchOptions {
        policy(maxBatchSize, maxBatchTokens, groupByLength == null || groupByLength, lookahead); // validates
    }

    /** The command line's defaults: batches of 16, grouped by length for models, over the next 1024 records. */
    public static BatchOptions defaults() {
        return new BatchOptions(16, 0, null, 0);
    }

    public BatchOptions withMaxBatchSize(int size) {
        return new BatchOptions(size, maxBatchTokens, groupByLength, lookahead);
    }

    /** The policy for a function whose records do ({@code weighed}) or do not have a length. */
    BatchPolicy policy(boolean weighed) {
        return policy(maxBatchSize, maxBatchTokens, groupByLength != null ? groupByLength : weighed, lookahead);
    }

    private static BatchPolicy policy(int maxBatchSize, long maxBatchTokens, boolean group, int lookahead) {
        int window = lookahead > 0 ? lookahead : Math.max(DEFAULT_LOOKAHEAD, maxBatchSize);
        return new BatchPolicy(maxBatchSize, 0, maxBatchTokens, group, window);
    }
}
