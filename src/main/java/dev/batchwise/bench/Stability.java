package dev.batchwise.bench;

import java.util.List;

/**
 * When a point's measurements can be trusted, as Triton's perf_analyzer decides it: the last
 * {@link #WINDOWS} windows agree within {@link #TOLERANCE}, in throughput and in p99 latency, where
 * "agree" means the largest is at most (1 + tolerance) times the smallest. Latencies that differ by
 * less than {@link #LATENCY_FLOOR_MICROS} agree whatever their ratio: below that, a ratio measures
 * timer and scheduler noise, not the system.
 */
public final class Stability {

    /** How many of the latest windows must agree. */
    public static final int WINDOWS = 3;
    /** How far they may spread: 10%. */
    public static final double TOLERANCE = 0.10;
    /** Differences in p99 below this always agree. */
    public static final long LATENCY_FLOOR_MICROS = 1_000;

    private Stability() {}

    /** Whether the last {@link #WINDOWS} of {@code windows} agree; false with fewer, or with an empty window. */
    public static boolean stable(List<Window> windows) {
        if (windows.size() < WINDOWS) {
            return false;
        }
        List<Window> last = windows.subList(windows.size() - WINDOWS, windows.size());
        double minTp = Double.MAX_VALUE;
        double maxTp = 0;
        long minP99 = Long.MAX_VALUE;
        long maxP99 = 0;
        for (Window w : last) {
            if (w.records() == 0) {
                return false;
            }
            minTp = Math.min(minTp, w.throughputPerSecond());
            maxTp = Math.max(maxTp, w.throughputPerSecond());
            minP99 = Math.min(minP99, w.p99Micros());
            maxP99 = Math.max(maxP99, w.p99Micros());
        }
        boolean throughputAgrees = maxTp <= minTp * (1 + TOLERANCE);
        boolean latencyAgrees = maxP99 - minP99 < LATENCY_FLOOR_MICROS || maxP99 <= minP99 * (1 + TOLERANCE);
        return throughputAgrees && latencyAgrees;
    }
}
