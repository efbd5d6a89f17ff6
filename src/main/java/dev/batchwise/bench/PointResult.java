package dev.batchwise.bench;

import java.util.List;
import java.util.Map;

/**
 * What one point measured, over the windows it used (the last {@link Stability#WINDOWS}, or fewer
 * when it ran out of budget first). Latencies in milliseconds; end-to-end latency counts from each
 * record's intended arrival. Immutable.
 *
 * @param throughputPerSecond records finished per second
 * @param computeP50Ms per call
 * @param batchSizes calls by batch size, ascending
 * @param paddingShare the share of computed tokens that were padding, or -1 when the function reports no tokens
 * @param busyShare the share of workers × time spent in the function
 * @param stable whether the last windows agreed (see {@link Stability}); an unstable point is reported,
 *     never chosen
 * @param windows windows measured, warm-up not counted
 * @param records records finished in the windows used
 * @param failed of those, records that failed
 * @param windowSeries every window measured, in order: what the stability rule looked at
 * @param timedOut the point did not end within its time (see {@link RunTarget}): a call of the
 *     function did not return. It has no figures (every one is 0, its histogram empty), is not
 *     stable, and is never chosen nor put on the Pareto front
 */
public record PointResult(
        Setting setting,
        double throughputPerSecond,
        double latencyP50Ms,
        double latencyP90Ms,
        double latencyP95Ms,
        double latencyP99Ms,
        double latencyMaxMs,
        double queueP50Ms,
        double queueP99Ms,
        double computeP50Ms,
        double computeP99Ms,
        double meanBatchSize,
        Map<Integer, Long> batchSizes,
        double paddingShare,
        double busyShare,
        boolean stable,
        int windows,
        long records,
        long failed,
        List<Window> windowSeries,
        boolean timedOut) {

    public PointResult {
        windowSeries = List.copyOf(windowSeries);
        batchSizes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(batchSizes));
        if (timedOut && stable) {
            throw new IllegalArgumentException("a timed-out point is not stable");
        }
    }

    /** A point that ended within its time. */
    public PointResult(Setting setting, double throughputPerSecond, double latencyP50Ms, double latencyP90Ms,
            double latencyP95Ms, double latencyP99Ms, double latencyMaxMs, double queueP50Ms, double queueP99Ms,
            double computeP50Ms, double computeP99Ms, double meanBatchSize, Map<Integer, Long> batchSizes,
            double paddingShare, double busyShare, boolean stable, int windows, long records, long failed,
            List<Window> windowSeries) {
        this(setting, throughputPerSecond, latencyP50Ms, latencyP90Ms, latencyP95Ms, latencyP99Ms, latencyMaxMs,
                queueP50Ms, queueP99Ms, computeP50Ms, computeP99Ms, meanBatchSize, batchSizes, paddingShare, busyShare,
                stable, windows, records, failed, windowSeries, false);
    }

    /** The point at {@code setting} that did not end within its time, after {@code windows} windows. */
    public static PointResult timedOut(Setting setting, int windows) {
        return new PointResult(setting, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), -1, 0, false, windows, 0, 0,
                List.of(), true);
    }

    /** The latency at a percentile the SLO may name: 50, 95 or 99. */
    public double latencyMs(int percentile) {
        return switch (percentile) {
            case 50 -> latencyP50Ms;
            case 90 -> latencyP90Ms;
            case 95 -> latencyP95Ms;
            case 99 -> latencyP99Ms;
            default -> throw new IllegalArgumentException("no p" + percentile + " is kept");
        };
    }

    /** Whether this point can be chosen: stable (so not timed out), and no record failed. */
    public boolean usable() {
        return stable && !timedOut && failed == 0 && records > 0;
    }
}
