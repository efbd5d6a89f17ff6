package dev.batchwise.bench;

import dev.batchwise.util.Durations;

/**
 * The settings of one point of a sweep: what a user would deploy ({@code workers},
 * {@code maxBatchSize}, {@code maxDelayNanos}) and the load it was measured under. Immutable.
 *
 * @param maxDelayNanos how long a partial batch is held, counted from the oldest waiting record
 */
public record Setting(int workers, int maxBatchSize, long maxDelayNanos, Load load) {

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
    }

    /** This setting under another load. */
    public Setting withLoad(Load other) {
        return new Setting(workers, maxBatchSize, maxDelayNanos, other);
    }

    /**
     * A label that identifies the point within a sweep and across sweeps ({@code --compare} matches
     * points by it): {@code w=2 b=16 d=5ms c=8}.
     */
    public String key() {
        return "w=" + workers + " b=" + maxBatchSize + " d=" + delayLabel(maxDelayNanos) + " " + load.label();
    }

    static String delayLabel(long nanos) {
        return nanos == 0 ? "0" : Durations.format(nanos);
    }
}
