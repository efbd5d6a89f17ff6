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

    /**
     * A recommendation and how sure it is.
     *
     * @param confirmed whether the point is stable: its throughput interval is narrow (see {@link Stability})
     * @param confidence for the throughput objective, how likely the point truly beats {@code runnerUp}
     *     (see {@link Stability#confidenceAbove}): 1 with no runner-up; NaN when not computed
     * @param runnerUp the next best point among those it was chosen from, or null
     */
    public record Pick(PointResult point, boolean confirmed, double confidence, PointResult runnerUp) {}

    /**
     * The recommendation. Among the points that ran to their end with no failed record and meet
     * {@code slo}: for an offline sweep, the best by {@code objective} whether stable or not (its mean
     * is the best estimate there is; stability says how sure it is); for a server sweep, the best stable
     * one, or, when none is stable, the best of the rest, unconfirmed. Null when no point qualifies.
     */
    public static Pick pick(List<PointResult> points, Slo slo, Objective objective) {
        List<PointResult> measured = points.stream()
                .filter(p -> !p.timedOut() && p.failed() == 0 && p.records() > 0)
                .filter(p -> slo == null || slo.meets(p))
                .toList();
        boolean offline = !measured.isEmpty() && measured.stream().allMatch(p -> p.setting().offline());
        List<PointResult> stable = measured.stream().filter(PointResult::stable).toList();
        List<PointResult> from = offline || stable.isEmpty() ? measured : stable;
        List<PointResult> ranked = from.stream().sorted(objective.better.reversed()).toList();
        if (ranked.isEmpty()) {
            return null;
        }
        PointResult best = ranked.get(0);
        PointResult runnerUp = ranked.size() > 1 ? ranked.get(1) : null;
        double confidence = objective != Objective.THROUGHPUT ? Double.NaN
                : runnerUp == null ? 1 : Stability.confidenceAbove(best.throughputEstimate(),
                        runnerUp.throughputEstimate());
        return new Pick(best, best.stable(), confidence, runnerUp);
    }

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
                if (q != p && q.objectiveRate() >= p.objectiveRate()
                        && q.latencyP99Ms() <= p.latencyP99Ms()
                        && (q.objectiveRate() > p.objectiveRate() || q.latencyP99Ms() < p.latencyP99Ms())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(p);
            }
        }
        front.sort(java.util.Comparator.comparingDouble(PointResult::latencyP99Ms)
                .thenComparingDouble(PointResult::objectiveRate));
        return front;
    }
}
