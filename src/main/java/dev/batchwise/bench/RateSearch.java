package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --rate auto}: the largest open-loop rate whose latency meets the SLO, for one setting.
 *
 * <p>A rate passes when its point is usable (stable, nothing failed) and meets the SLO; an overloaded
 * open loop never stabilises, since its queue keeps growing, so it fails. The search brackets the
 * answer between the best passing rate and the lowest failing one: it starts at half the
 * {@code capacityPerSecond} estimate with the bracket's top at 1.25 times it (doubling the top
 * while everything passes), and halves the bracket until it is within {@link #RESOLUTION}, or until
 * the throughput of the best passing point has gained less than {@link #PLATEAU_GAIN} over the last {@link #PLATEAU_STEPS}
 * steps (Model Analyzer's rule for when raising the load no longer pays), or after {@code maxSteps}; or
 * at once when a point times out ({@link PointResult#timedOut}): no more points can run.
 */
public final class RateSearch {

    /** Stop once the bracket is this narrow, relative to its top. */
    public static final double RESOLUTION = 0.05;
    /** The plateau rule: gains under 5% ... */
    public static final double PLATEAU_GAIN = 0.05;
    /** ... over 4 steps. */
    public static final int PLATEAU_STEPS = 4;

    /** Measures one rate. */
    public interface Probe {
        PointResult measure(double ratePerSecond) throws Exception;
    }

    /**
     * What the search found.
     *
     * @param best the point at the largest passing rate, or null when no rate tried passed
     * @param steps every point measured, in order
     * @param stoppedBy why it stopped: {@code resolution}, {@code plateau}, {@code steps} or {@link #TIMED_OUT}
     */
    public record Outcome(PointResult best, List<PointResult> steps, String stoppedBy) {
        /** The step that timed out, the last; null when none did. */
        public PointResult timedOut() {
            return !steps.isEmpty() && steps.get(steps.size() - 1).timedOut() ? steps.get(steps.size() - 1) : null;
        }
    }

    /** {@link Outcome#stoppedBy} of a search whose last point timed out. */
    public static final String TIMED_OUT = "timed_out";

    private RateSearch() {}

    /**
     * @param capacityPerSecond an estimate of the throughput the setting can reach (a closed-loop
     *     point at high concurrency measures one)
     */
    public static Outcome search(Probe probe, Slo slo, double capacityPerSecond, int maxSteps) throws Exception {
        if (!(capacityPerSecond > 0)) {
            throw new IllegalArgumentException("the capacity estimate must be positive");
        }
        double lo = 0;
        double hi = capacityPerSecond * 1.25;
        double rate = capacityPerSecond / 2;
        PointResult best = null;
        List<PointResult> steps = new ArrayList<>();
        List<Double> bestThroughputs = new ArrayList<>();
        String stoppedBy = "steps";
        boolean failedOnce = false;
        for (int step = 0; step < maxSteps; step++) {
            PointResult p = probe.measure(rate);
            steps.add(p);
            if (p.timedOut()) {
                stoppedBy = TIMED_OUT;
                break;
            }
            boolean passes = p.usable() && (slo == null || slo.meets(p));
            if (passes) {
                lo = rate;
                best = p;
                if (!failedOnce) {
                    hi = Math.max(hi, rate * 2);
                }
            } else {
                hi = rate;
                failedOnce = true;
            }
            bestThroughputs.add(best == null ? 0 : best.throughputPerSecond());
            if (failedOnce && lo > 0 && (hi - lo) / hi <= RESOLUTION) {
                stoppedBy = "resolution";
                break;
            }
            int n = bestThroughputs.size();
            double before = n > PLATEAU_STEPS ? bestThroughputs.get(n - 1 - PLATEAU_STEPS) : 0;
            if (before > 0 && bestThroughputs.get(n - 1) < before * (1 + PLATEAU_GAIN)) {
                stoppedBy = "plateau";
                break;
            }
            rate = failedOnce ? (lo + hi) / 2 : Math.min(hi, rate * 2);
            if (lo == 0 && failedOnce) {
                rate = hi / 2;
            }
        }
        return new Outcome(best, steps, stoppedBy);
    }
}
