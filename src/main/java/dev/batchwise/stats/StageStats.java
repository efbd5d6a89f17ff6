package dev.batchwise.stats;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The timings and counts one worker records, merged into {@link RunStats} at the end. Single writer,
 * no locks: merging happens after the worker has stopped.
 */
public final class StageStats implements dev.batchwise.fn.CallMetrics {

    /** Latencies are kept in microseconds, up to an hour, to 3 significant digits. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    final Histogram queueMicros = histogram();
    final Histogram computeMicros = histogram();
    final Histogram latencyMicros = histogram();
    long[] batchSizeCounts;
    long batches;
    long calls;
    long retriedCalls;
    long busyNanos;
    long cpuNanos;
    final java.util.Map<String, Histogram> phaseMicros = new java.util.LinkedHashMap<>();
    long realTokens;
    long paddedTokens;
    long truncatedRecords;

    public StageStats(int maxBatchSize) {
        this.batchSizeCounts = new long[maxBatchSize + 1];
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** One batch taken from the queue, of {@code size} records. */
    public void batch(int size) {
        batches++;
        if (size >= batchSizeCounts.length) {
            batchSizeCounts = java.util.Arrays.copyOf(batchSizeCounts, size + 1);
        }
        batchSizeCounts[size]++;
    }

    /** One call of the function; {@code retry} when it re-runs part of a failed batch. */
    public void call(long computeNanos, boolean retry) {
        calls++;
        if (retry) {
            retriedCalls++;
        }
        busyNanos += computeNanos;
        computeMicros.recordValue(clamp(computeNanos));
    }

    /** One record that went through the function, successfully or not. */
    public void ran(long queueNanos, long latencyNanos) {
        queueMicros.recordValue(clamp(queueNanos));
        latencyMicros.recordValue(clamp(latencyNanos));
    }

    @Override
    public void phase(String name, long nanos) {
        phaseMicros.computeIfAbsent(name, n -> histogram()).recordValue(clamp(nanos));
    }

    @Override
    public void tokens(long real, long padded) {
        realTokens += real;
        paddedTokens += padded;
    }

    @Override
    public void truncated(int records) {
        truncatedRecords += records;
    }

    /** The CPU time of the calling thread so far; called by the worker as it ends. */
    public void recordThreadCpuTime() {
        cpuNanos = threadCpuNanos();
    }

    /** The CPU time of the calling thread, or 0 where the JVM cannot tell. */
    public static long threadCpuNanos() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? Math.max(0, mx.getCurrentThreadCpuTime()) : 0;
    }

    private static long clamp(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        return Math.min(micros, HIGHEST_MICROS);
    }
}
