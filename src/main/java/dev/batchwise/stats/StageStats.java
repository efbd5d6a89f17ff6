package dev.batchwise.stats;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The timings and counts one worker records, merged into {@link RunStats} at the end. One writer, the
 * worker; every method holds this object's monitor, and {@link RunStats} reads under it too, so a run
 * that ends with a worker still busy (stopped, grace period over) still counts what that worker did.
 * The worker wraps its per-record calls in one {@code synchronized (stats)} block per batch, so the
 * lock costs little.
 */
public final class StageStats implements dev.batchwise.fn.CallMetrics, java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Latencies are kept in microseconds, up to an hour, to 3 significant digits. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    final Histogram queueMicros = histogram();
    final Histogram computeMicros = histogram();
    final Histogram latencyMicros = histogram();
    long[] batchSizeCounts;
    long batches;
    long calls;
    long retriedCalls;
    long timedOut;
    long busyNanos;
    long cpuNanos;
    final java.util.Map<String, Histogram> phaseMicros = new java.util.LinkedHashMap<>();
    long realTokens;
    long paddedTokens;
    long truncatedRecords;
    long cacheHits;
    long cacheMisses;
    /** Generation: from a record's intended arrival to its first output token. */
    final Histogram ttftMicros = histogram();
    /** Generation: a record's time per output token after its first. */
    final Histogram tpotMicros = histogram();
    long outputTokens;

    public StageStats(int maxBatchSize) {
        this.batchSizeCounts = new long[maxBatchSize + 1];
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /**
     * Adds what {@code other} recorded to this: the totals of several workers, or of a job's tasks.
     * Takes this object's monitor, then {@code other}'s.
     */
    public synchronized void add(StageStats other) {
        synchronized (other) {
            queueMicros.add(other.queueMicros);
            computeMicros.add(other.computeMicros);
            latencyMicros.add(other.latencyMicros);
            if (other.batchSizeCounts.length > batchSizeCounts.length) {
                batchSizeCounts = java.util.Arrays.copyOf(batchSizeCounts, other.batchSizeCounts.length);
            }
            for (int i = 0; i < other.batchSizeCounts.length; i++) {
                batchSizeCounts[i] += other.batchSizeCounts[i];
            }
            batches += other.batches;
            calls += other.calls;
            retriedCalls += other.retriedCalls;
            timedOut += other.timedOut;
            busyNanos += other.busyNanos;
            cpuNanos += other.cpuNanos;
            other.phaseMicros.forEach((name, h) -> phaseMicros.computeIfAbsent(name, n -> histogram()).add(h));
            realTokens += other.realTokens;
            paddedTokens += other.paddedTokens;
            truncatedRecords += other.truncatedRecords;
            ttftMicros.add(other.ttftMicros);
            tpotMicros.add(other.tpotMicros);
            outputTokens += other.outputTokens;
            cacheHits += other.cacheHits;
            cacheMisses += other.cacheMisses;
        }
    }

    /** One batch taken from the queue, of {@code size} records. */
    public synchronized void batch(int size) {
        batches++;
        if (size >= batchSizeCounts.length) {
            batchSizeCounts = java.util.Arrays.copyOf(batchSizeCounts, size + 1);
        }
        batchSizeCounts[size]++;
    }

    /** One call of the function; {@code retry} when it re-runs part of a failed batch. */
    public synchronized void call(long computeNanos, boolean retry) {
        calls++;
        if (retry) {
            retriedCalls++;
        }
        busyNanos += computeNanos;
        computeMicros.recordValue(clamp(computeNanos));
    }

    /** Records that waited past the queue timeout and were not run. */
    public synchronized void timedOut(int records) {
        timedOut += records;
    }

    /** One record that went through the function, successfully or not. */
    public synchronized void ran(long queueNanos, long latencyNanos) {
        queueMicros.recordValue(clamp(queueNanos));
        latencyMicros.recordValue(clamp(latencyNanos));
    }

    /**
     * One generated record.
     *
     * @param ttftNanos from its intended arrival to its first token
     * @param tpotNanos its time per output token after the first, or negative when it made one token
     * @param tokens the tokens it generated
     */
    public synchronized void generated(long ttftNanos, long tpotNanos, long tokens) {
        ttftMicros.recordValue(clamp(ttftNanos));
        if (tpotNanos >= 0) {
            tpotMicros.recordValue(clamp(tpotNanos));
        }
        outputTokens += tokens;
    }

    @Override
    public synchronized void phase(String name, long nanos) {
        phaseMicros.computeIfAbsent(name, n -> histogram()).recordValue(clamp(nanos));
    }

    @Override
    public synchronized void tokens(long real, long padded) {
        realTokens += real;
        paddedTokens += padded;
    }

    @Override
    public synchronized void truncated(int records) {
        truncatedRecords += records;
    }

    @Override
    public synchronized void cache(int hits, int misses) {
        cacheHits += hits;
        cacheMisses += misses;
    }

    /** The CPU time of the calling thread so far; called by the worker as it ends. */
    public synchronized void recordThreadCpuTime() {
        cpuNanos = threadCpuNanos();
    }

    /** Sets the CPU time of a worker that is still running, as read from outside its thread. */
    public synchronized void cpuNanos(long nanos) {
        cpuNanos = nanos;
    }

    /** The CPU time of {@code thread} so far, or 0 where the JVM cannot tell or the thread has ended. */
    public static long threadCpuNanos(Thread thread) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? Math.max(0, mx.getThreadCpuTime(thread.getId())) : 0;
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
