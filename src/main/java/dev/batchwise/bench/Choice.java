package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Choosing among measured points, as Triton's Model Analyzer does: constraints first (the point is
 * usable, see {@link PointResult#usable()}, and meets the SLO), then the objective. Pure.
 */
public final class Choice {

    private Choice() {}

    /** The best point that meets {@code slo} (null: no constraint) by {@code objective}; empty when none does. */
    public static Optional<PointResult> best(List<PointResult> points, Slo slo, Objective objective) {
        return points.stream()
                .filter(PointResult::usable)
                .filter(p -> slo == null || slo.meets(p))
                .max(objective.better);
    }

    /**
     * The usable points on the Pareto front of throughput (higher is better) against p99 latency
     * (lower is better): those no other usable point matches or beats on both with one strictly better.
     * In order of p99.
     */
    public static List<PointResult> paretoFront(List<PointResult> points) {
        List<PointResult> usable = points.stream().filter(PointResult::usable).toList();
        List<PointResult> front = new ArrayList<>();
        for (PointResult p : usable) {
            boolean dominated = false;
            for (PointResult q : usable) {
                if (q != p && q.throughputPerSecond() >= p.throughputPerSecond()
                        && q.latencyP99Ms() <= p.latencyP99Ms()
                        && (q.throughputPerSecond() > p.throughputPerSecond() || q.latencyP99Ms() < p.latencyP99Ms())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(p);
            }
        }
        front.sort(java.util.Comparator.comparingDouble(PointResult::latencyP99Ms)
                .thenComparingDouble(PointResult::throughputPerSecond));
        return front;
    }
}
