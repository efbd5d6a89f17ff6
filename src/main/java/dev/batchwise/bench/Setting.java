package dev.batchwise.bench;

import dev.batchwise.util.Durations;

/**
 * The settings of one point of a sweep: what a user would deploy ({@code workers},
 * {@code maxBatchSize}, {@code maxDelayNanos}, {@code modelThreads}) and the load it was measured
 * under. Immutable.
 *
 * @param maxDelayNanos how long a partial batch is held, counted from the oldest waiting record
 * @param modelThreads math threads of each worker's model, or 0 when the sweep does not vary them
 *     (the run's own setting or default holds)
 */
public record Setting(int workers, int maxBatchSize, long maxDelayNanos, Load load, int modelThreads) {

    public Setting {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be at least 1, not " + maxBatchSize);
        }
        if (maxDelayNanos < 0) {
            throw new IllegalArgumentException("max delay must not be negative");
        }
        java.util.Objects.requireNonNull(load);
        if (modelThreads < 0) {
            throw new IllegalArgumentException("model threads must not be negative");
        }
    }

    /** A setting whose model threads the sweep does not vary. */
    public Setting(int workers, int maxBatchSize, long maxDelayNanos, Load load) {
        this(workers, maxBatchSize, maxDelayNanos, load, 0);
    }

    /** This setting under another load. */
    public Setting withLoad(Load other) {
        return new Setting(workers, maxBatchSize, maxDelayNanos, other, modelThreads);
    }

    /** Whether it was measured as an offline job, all records offered at once. */
    public boolean offline() {
        return load instanceof Load.Offline;
    }

    /**
     * A label that identifies the point within a sweep and across sweeps ({@code --compare} matches
     * points by it): {@code w=2 b=16 d=5ms c=8}; with model threads varied, {@code w=2 t=1 b=16 ...};
     * offline, where no delay holds a batch (the queue is always full), {@code w=2 t=1 b=32 offline}.
     */
    public String key() {
        return "w=" + workers + (modelThreads > 0 ? " t=" + modelThreads : "") + " b=" + maxBatchSize
                + (offline() ? "" : " d=" + delayLabel(maxDelayNanos)) + " " + load.label();
    }

    static String delayLabel(long nanos) {
        return nanos == 0 ? "0" : Durations.format(nanos);
    }
}
