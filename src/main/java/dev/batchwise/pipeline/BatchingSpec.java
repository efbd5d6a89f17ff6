package dev.batchwise.pipeline;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * How a run's queue forms batches and how many workers run them: part of a run spec, immutable,
 * validated by its {@link Builder}. Serializable, so a job can ship it to the machines that run it.
 * The batching policy also depends on whether the function weighs records (a model counts tokens),
 * which is known once it is loaded, and on the arrivals: {@link #policy}.
 *
 * @param maxBatchTokens the most tokens in a batch, padding included, or 0 for no limit
 * @param groupByLength {@code null} for the default: on for a weighing function under burst arrivals
 * @param lookahead {@code null} for the default: the whole queue under burst arrivals, else 8 x the
 *     max batch size
 * @param timeoutNanos how long a record may wait in the queue; 0 for no limit
 * @param queueCapacity the most records waiting in the queue; when full, intake waits
 * @param workers batches run in parallel, each worker with its own function instance
 */
public record BatchingSpec(int maxBatchSize, long maxDelayNanos, long maxBatchTokens, Boolean groupByLength,
        Integer lookahead, long timeoutNanos, int queueCapacity, int workers) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The most records of the queue, and of closed-loop clients: the reorder window, which is
     * allocated when the run starts, grows with them (2 x (queue + workers x batch + clients)).
     */
    public static final int MAX_QUEUE = 1_000_000;
    public static final int MAX_BATCH = 65_536;
    public static final int MAX_WORKERS = 256;

    public static Builder builder() {
        return new Builder();
    }

    /** The batching made from {@code settings}' changes to the defaults; see {@link Builder#build}. */
    public static BatchingSpec of(Consumer<Builder> settings, int defaultWorkers) {
        Builder b = builder();
        settings.accept(b);
        return b.build(defaultWorkers);
    }

    /** The batching policy for a function that does ({@code weighed}) or does not weigh records. */
    public BatchPolicy policy(boolean weighed, ArrivalSpec arrival) {
        boolean group = groupByLength != null ? groupByLength : weighed && arrival instanceof ArrivalSpec.Burst;
        int ahead = lookahead != null ? lookahead
                : arrival instanceof ArrivalSpec.Burst ? queueCapacity
                : (int) Math.min(Math.max(1, queueCapacity), 8L * Math.max(1, maxBatchSize));
        return new BatchPolicy(maxBatchSize, maxDelayNanos, maxBatchTokens, group, Math.max(ahead, maxBatchSize),
                timeoutNanos);
    }

    /** This batching with another max batch size and max delay (a point of a sweep). */
    public BatchingSpec with(int maxBatchSize, long maxDelayNanos) {
        return new BatchingSpec(maxBatchSize, maxDelayNanos, maxBatchTokens, groupByLength, lookahead, timeoutNanos,
                queueCapacity, workers);
    }

    /**
     * The settings as given: each field starts at its default; {@link #build} checks them and fills in
     * the rest. Not thread-safe.
     */
    public static final class Builder {
        /** The most records in a batch. */
        public int maxBatchSize = 16;
        /** How long the first record of a batch may wait for more. */
        public long maxDelayNanos;
        /** The most tokens in a batch, padding included; 0 for no limit. */
        public long maxBatchTokens;
        /** Whether to group records of similar length; {@code null} for the default. */
        public Boolean groupByLength;
        /** How many pending records grouping chooses from; {@code null} for the default. */
        public Integer lookahead;
        /** How long a record may wait in the queue; 0 for no limit. */
        public long timeoutNanos;
        /** The most records waiting in the queue. */
        public int queueCapacity = 1024;
        /** The workers; {@code null} for the default the function implies. */
        public Integer workers;

        private Builder() {}

        /**
         * @param defaultWorkers the workers when none are given: the run spec's choice for its function
         * @throws SettingException for a setting that cannot be used as given
         */
        public BatchingSpec build(int defaultWorkers) {
            SettingException.inRange("max-batch-size", maxBatchSize, 1, MAX_BATCH);
            if (workers != null) {
                SettingException.inRange("workers", workers, 1, MAX_WORKERS);
            }
            SettingException.inRange("queue-capacity", queueCapacity, 1, MAX_QUEUE);
            if (lookahead != null) {
                SettingException.inRange("lookahead", lookahead, 1, MAX_QUEUE);
            }
            SettingException.inRange("max-batch-tokens", maxBatchTokens, 0, Integer.MAX_VALUE);
            if (maxDelayNanos < 0 || timeoutNanos < 0) {
                String key = maxDelayNanos < 0 ? "max-delay" : "timeout";
                throw new SettingException(key, Phrase.of("{" + key + "}: must not be negative"));
            }
            if (lookahead != null && lookahead < maxBatchSize) {
                throw new SettingException("lookahead", Phrase.of(
                        "{lookahead} (%s) must be at least the max batch size (%s)", lookahead, maxBatchSize));
            }
            return new BatchingSpec(maxBatchSize, maxDelayNanos, maxBatchTokens, groupByLength, lookahead,
                    timeoutNanos, queueCapacity, workers != null ? workers : defaultWorkers);
        }
    }
}
