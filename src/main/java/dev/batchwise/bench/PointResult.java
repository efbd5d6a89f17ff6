package dev.batchwise.bench;

import java.util.List;
import java.util.Map;

/**
 * What one point measured, over every window of its visits ({@link #pool}). An offline point's
 * throughput counts records computed, a server's records finished (see {@link PointMeter}).
 * Latencies in milliseconds; end-to-end latency counts from each
 * record's intended arrival. Immutable.
 *
 * @param throughputPerSecond records finished per second
 * @param computeP50Ms per call
 * @param batchSizes calls by batch size, ascending
 * @param paddingShare the share of computed tokens that were padding, or -1 when the function reports no tokens
 * @param busyShare the share of workers × time spent in the function
 * @param stable whether its windows give a narrow enough interval (see {@link Stability}); an unstable
 *     point is reported, and chosen only as an unconfirmed recommendation (see {@link Choice})
 * @param windows windows measured, warm-up not counted
 * @param records records finished in the windows used
 * @param failed of those, records that failed
 * @param windowSeries every window measured, in order: what the stability rule looked at
 * @param timedOut the point did not end within its time (see {@link RunTarget}): a call of the
 *     function did not return. It has no figures (every one is 0, its histogram empty), is not
 *     stable, and is never chosen nor put on the Pareto front
 * @param generation for a point of a generating model, its tokens, TTFT and TPOT; null otherwise
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
        boolean timedOut,
        GenerationMeasures generation) {

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

    /** A point that does not generate. */
    public PointResult(Setting setting, double throughputPerSecond, double latencyP50Ms, double latencyP90Ms,
            double latencyP95Ms, double latencyP99Ms, double latencyMaxMs, double queueP50Ms, double queueP99Ms,
            double computeP50Ms, double computeP99Ms, double meanBatchSize, Map<Integer, Long> batchSizes,
            double paddingShare, double busyShare, boolean stable, int windows, long records, long failed,
            List<Window> windowSeries, boolean timedOut) {
        this(setting, throughputPerSecond, latencyP50Ms, latencyP90Ms, latencyP95Ms, latencyP99Ms, latencyMaxMs,
                queueP50Ms, queueP99Ms, computeP50Ms, computeP99Ms, meanBatchSize, batchSizes, paddingShare, busyShare,
                stable, windows, records, failed, windowSeries, timedOut, null);
    }

    /** The point at {@code setting} that did not end within its time, after {@code windows} windows. */
    public static PointResult timedOut(Setting setting, int windows) {
        return new PointResult(setting, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), -1, 0, false, windows, 0, 0,
                List.of(), true);
    }

    /**
     * The visits of one point as one result: counts, batch sizes and windows summed; throughput over
     * all its windows; busy and padding shares weighted by time and records; latency, queue and compute
     * percentiles the highest of any visit's (percentiles of separate runs do not combine exactly,
     * and the highest never flatters a setting).
     */
    public static PointResult pool(List<PointResult> visits, boolean stable) {
        if (visits.size() == 1 && visits.get(0).stable() == stable) {
            return visits.get(0);
        }
        Setting setting = visits.get(0).setting();
        java.util.Map<Integer, Long> sizes = new java.util.TreeMap<>();
        List<Window> series = new java.util.ArrayList<>();
        long records = 0;
        long failed = 0;
        long spanNanos = 0;
        double finished = 0;
        int windowCount = 0;
        double busy = 0;
        double padding = 0;
        long paddedRecords = 0;
        double[] high = new double[9];
        List<GenerationMeasures> generated = new java.util.ArrayList<>();
        List<Long> generatedSpans = new java.util.ArrayList<>();
        for (PointResult v : visits) {
            v.batchSizes().forEach((size, count) -> sizes.merge(size, count, Long::sum));
            series.addAll(v.windowSeries());
            records += v.records();
            failed += v.failed();
            long span = v.windowSeries().isEmpty() && v.throughputPerSecond() > 0
                    ? Math.round(v.records() / v.throughputPerSecond() * 1e9) // a result read without its windows
                    : v.windowSeries().stream().mapToLong(Window::nanos).sum();
            windowCount += v.windows();
            spanNanos += span;
            if (v.generation() != null) {
                generated.add(v.generation());
                generatedSpans.add(span);
            }
            finished += v.throughputPerSecond() * span / 1e9;
            busy += v.busyShare() * span;
            if (v.paddingShare() >= 0) {
                padding += v.paddingShare() * v.records();
                paddedRecords += v.records();
            }
            double[] each = {v.latencyP50Ms(), v.latencyP90Ms(), v.latencyP95Ms(), v.latencyP99Ms(), v.latencyMaxMs(),
                v.queueP50Ms(), v.queueP99Ms(), v.computeP50Ms(), v.computeP99Ms()};
            for (int i = 0; i < high.length; i++) {
                high[i] = Math.max(high[i], each[i]);
            }
        }
        long calls = 0;
        long items = 0;
        for (java.util.Map.Entry<Integer, Long> e : sizes.entrySet()) {
            calls += e.getValue();
            items += (long) e.getKey() * e.getValue();
        }
        return new PointResult(setting, spanNanos == 0 ? 0 : finished / (spanNanos / 1e9), high[0], high[1], high[2],
                high[3], high[4], high[5], high[6], high[7], high[8], calls == 0 ? 0 : (double) items / calls, sizes,
                paddedRecords == 0 ? -1 : padding / paddedRecords, spanNanos == 0 ? 0 : busy / spanNanos, stable,
                windowCount, records, failed, series, false,
                generated.isEmpty() ? null : GenerationMeasures.pool(generated, generatedSpans));
    }

    /**
     * What the throughput objective maximises: output tokens per second for a generation point, else
     * records per second.
     */
    public double objectiveRate() {
        return generation != null ? generation.outputTokensPerSecond() : throughputPerSecond;
    }

    /** The mean per-window throughput (as {@link #objectiveRate} counts it) and its 95% interval. */
    public Stability.Estimate throughputEstimate() {
        return Stability.throughput(windowSeries);
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
