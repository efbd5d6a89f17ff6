package dev.batchwise.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The merged statistics of a finished (or interrupted) run. Immutable. */
public final class RunStats {

    /**
     * Latency percentiles in milliseconds; all {@code null} when nothing was measured
     * ({@code count} 0), so that a check such as {@code p99 < 2000} cannot pass on a run that did nothing.
     */
    public record Percentiles(long count, Double p50, Double p90, Double p95, Double p99, Double max, Double mean) {
        static final Percentiles NONE = new Percentiles(0, null, null, null, null, null, null);

        static Percentiles of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return NONE;
            }
            return new Percentiles(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                    h.getMean() / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /** What the workers recorded, added up; not changed after construction. */
    private final StageStats totals;
    private final long records;
    private final long failed;
    private final long wallNanos;
    private final long batches;
    private final long calls;
    private final long retriedCalls;
    private final long timedOut;
    private final Map<Integer, Long> batchSizes;
    private final double meanBatchSize;
    private final Percentiles queue;
    private final Percentiles compute;
    private final Percentiles endToEnd;
    private final int workers;
    private final double workerBusyShare;
    private final boolean interrupted;
    private final long intakeCpuNanos;
    private final long workerCpuNanos;
    private final Map<String, Percentiles> phases;
    private final long realTokens;
    private final long paddedTokens;
    private final long truncatedRecords;
    private final long cacheHits;
    private final long cacheMisses;
    /** Of {@link #records} and {@link #failed}: those a resumed run found already in its output. */
    private final long carriedRecords;
    private final long carriedFailed;
    private final Percentiles timeToFirstToken;
    private final Percentiles timePerOutputToken;
    private final long outputTokens;

    private RunStats(Collection<StageStats> stages, long records, long failed, long wallNanos, int workers,
            boolean interrupted, long intakeCpuNanos) {
        this(stages, records, failed, wallNanos, workers, interrupted, intakeCpuNanos, 0, 0);
    }

    private RunStats(Collection<StageStats> stages, long records, long failed, long wallNanos, int workers,
            boolean interrupted, long intakeCpuNanos, long carriedRecords, long carriedFailed) {
        this.carriedRecords = carriedRecords;
        this.carriedFailed = carriedFailed;
        StageStats all = new StageStats(0);
        for (StageStats s : stages) {
            all.add(s);
        }
        this.totals = all;
        this.records = records;
        this.failed = failed;
        this.wallNanos = wallNanos;
        this.batches = all.batches;
        this.calls = all.calls;
        this.retriedCalls = all.retriedCalls;
        this.timedOut = all.timedOut;
        Map<Integer, Long> bySize = new LinkedHashMap<>();
        long itemsInBatches = 0;
        for (int i = 0; i < all.batchSizeCounts.length; i++) {
            if (all.batchSizeCounts[i] > 0) {
                bySize.put(i, all.batchSizeCounts[i]);
                itemsInBatches += i * all.batchSizeCounts[i];
            }
        }
        this.batchSizes = java.util.Collections.unmodifiableMap(bySize);
        this.meanBatchSize = batches == 0 ? 0 : (double) itemsInBatches / batches;
        this.queue = Percentiles.of(all.queueMicros);
        this.compute = Percentiles.of(all.computeMicros);
        this.endToEnd = Percentiles.of(all.latencyMicros);
        this.workers = workers;
        this.workerBusyShare = wallNanos <= 0 || workers == 0 ? 0
                : Math.min(1.0, (double) all.busyNanos / ((double) wallNanos * workers));
        this.interrupted = interrupted;
        this.intakeCpuNanos = intakeCpuNanos;
        this.workerCpuNanos = all.cpuNanos;
        Map<String, Percentiles> byPhase = new LinkedHashMap<>();
        all.phaseMicros.forEach((name, h) -> byPhase.put(name, Percentiles.of(h)));
        this.phases = java.util.Collections.unmodifiableMap(byPhase);
        this.realTokens = all.realTokens;
        this.paddedTokens = all.paddedTokens;
        this.truncatedRecords = all.truncatedRecords;
        this.cacheHits = all.cacheHits;
        this.cacheMisses = all.cacheMisses;
        this.timeToFirstToken = Percentiles.of(all.ttftMicros);
        this.timePerOutputToken = Percentiles.of(all.tpotMicros);
        this.outputTokens = all.outputTokens;
    }

    /** Generation: from each record's intended arrival to its first token; none measured for other functions. */
    public Percentiles timeToFirstToken() {
        return timeToFirstToken;
    }

    /** Generation: each record's time per output token after its first. */
    public Percentiles timePerOutputToken() {
        return timePerOutputToken;
    }

    /** Generation: the tokens generated. */
    public long outputTokens() {
        return outputTokens;
    }

    /** Generated tokens per second of wall time. */
    public double outputTokensPerSecond() {
        return wallNanos <= 0 ? 0 : outputTokens / (wallNanos / 1e9);
    }

    /**
     * What the workers recorded, added up: to add to the totals of other runs (the tasks of a job),
     * and to make the stats of all of them with {@link #merge}. A copy.
     */
    public StageStats totals() {
        StageStats copy = new StageStats(0);
        copy.add(totals);
        return copy;
    }

    /** Time per call in each phase a function reported (such as tokenize, model, postprocess). */
    public Map<String, Percentiles> phases() {
        return phases;
    }

    /** The records' own tokens, for functions that report tokens; 0 otherwise. */
    public long realTokens() {
        return realTokens;
    }

    /** Tokens computed on, padding included. */
    public long paddedTokens() {
        return paddedTokens;
    }

    /** Real tokens per second of wall time. */
    public double tokensPerSecond() {
        return wallNanos <= 0 ? 0 : realTokens / (wallNanos / 1e9);
    }

    /** Records whose outputs a cache had, so they were not run; 0 without a cache. */
    public long cacheHits() {
        return cacheHits;
    }

    /** Records a cache did not have, so they were run and stored; 0 without a cache. */
    public long cacheMisses() {
        return cacheMisses;
    }

    /** Records whose input was cut to fit (truncated to the max length). */
    public long truncatedRecords() {
        return truncatedRecords;
    }

    /**
     * @param stages the stats of the workers, finished or not (each is read under its lock)
     * @param records records written, failed ones included
     * @param failed failed records written
     * @param intakeCpuNanos the CPU time of the thread that read, parsed and admitted records
     */
    public static RunStats merge(Collection<StageStats> stages, long records, long failed, long wallNanos, int workers,
            boolean interrupted, long intakeCpuNanos) {
        return new RunStats(new ArrayList<>(stages), records, failed, wallNanos, workers, interrupted, intakeCpuNanos);
    }

    /**
     * These stats for the whole output of a resumed run: {@link #records}, {@link #succeeded} and
     * {@link #failed} count the records an earlier run had written too, as the finished output holds
     * them; the times, rates and batches stay this run's.
     *
     * @param records records the earlier run had written, failed ones included
     * @param failed failed records among them
     */
    public RunStats withCarriedOver(long records, long failed) {
        if (records == 0 && failed == 0) {
            return this;
        }
        return new RunStats(List.of(totals), this.records + records, this.failed + failed, wallNanos, workers,
                interrupted, intakeCpuNanos, carriedRecords + records, carriedFailed + failed);
    }

    /** Records an earlier run had written, which a resumed run counts in {@link #records}; 0 for a run from the start. */
    public long carriedOverRecords() {
        return carriedRecords;
    }

    /** Failed records an earlier run had written, counted in {@link #failed}. */
    public long carriedOverFailed() {
        return carriedFailed;
    }

    /** CPU time of the intake thread: reading, parsing, binding and admitting records. */
    public long intakeCpuNanos() {
        return intakeCpuNanos;
    }

    /** CPU time of the worker threads: function calls and writing the output. */
    public long workerCpuNanos() {
        return workerCpuNanos;
    }

    public long records() {
        return records;
    }

    public long failed() {
        return failed;
    }

    public long succeeded() {
        return records - failed;
    }

    public long wallNanos() {
        return wallNanos;
    }

    public double throughputPerSecond() {
        return wallNanos <= 0 ? 0 : (records - carriedRecords) / (wallNanos / 1e9); // those run in this run
    }

    public long batches() {
        return batches;
    }

    public long calls() {
        return calls;
    }

    public long retriedCalls() {
        return retriedCalls;
    }

    /** Records not run because they waited in the queue past {@code --timeout}; counted among the failed. */
    public long timedOut() {
        return timedOut;
    }

    /** Batches taken from the queue, by size, ascending. */
    public Map<Integer, Long> batchSizes() {
        return batchSizes;
    }

    public double meanBatchSize() {
        return meanBatchSize;
    }

    /** Time from arrival to the start of the function call, per record. */
    public Percentiles queue() {
        return queue;
    }

    /** Time in the function, per call. */
    public Percentiles compute() {
        return compute;
    }

    /** Time from intended arrival to the end of the function call, per record. */
    public Percentiles endToEnd() {
        return endToEnd;
    }

    public int workers() {
        return workers;
    }

    /** The share of the workers' time (workers × wall time) spent in function calls. */
    public double workerBusyShare() {
        return workerBusyShare;
    }

    public boolean interrupted() {
        return interrupted;
    }

    List<Integer> sizesAscending() {
        return new ArrayList<>(batchSizes.keySet());
    }
}
