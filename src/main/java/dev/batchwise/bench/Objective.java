package dev.batchwise.bench;

import java.util.Comparator;

/** What the choice ranks by, once the constraints are met. */
public enum Objective {
    /** The most records per second (output tokens per second for generation); ties go to the lower p99. */
    THROUGHPUT(Comparator.comparingDouble(PointResult::objectiveRate)
            .thenComparing(Comparator.comparingDouble(PointResult::latencyP99Ms).reversed())),
    /** The lowest p99 latency; ties go to the higher throughput. */
    LATENCY(Comparator.comparingDouble(PointResult::latencyP99Ms).reversed()
            .thenComparingDouble(PointResult::objectiveRate));

    /** Orders points from worst to best. */
    final Comparator<PointResult> better;

    Objective(Comparator<PointResult> better) {
        this.better = better;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
