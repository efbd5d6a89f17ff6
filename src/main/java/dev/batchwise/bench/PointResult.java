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
        List<Window> windowSeries) {

    public PointResult {
        windowSeries = List.copyOf(windowSeries);
        batchSizes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(batchSizes));
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

    /** Whether this point can be chosen: stable, and no record failed. */
    public boolean usable() {
        return stable && failed == 0 && records > 0;
    }
}
