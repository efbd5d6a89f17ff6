package dev.batchwise.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's counters, gathered from the tasks with accumulators. Spark applies an accumulator update
 * made in a transformation once per task attempt, so a retried or speculative task counts twice:
 * these are the work done, which equals the records written when no task was retried.
 */
public final class JobStats implements Serializable {

    private final LongAccumulator records;
    private final LongAccumulator failed;
    private final LongAccumulator batches;
    private final LongAccumulator retryCalls;
    private final LongAccumulator batchedRecords;
    private final LongAccumulator computeNanos;
    private final LongAccumulator modelNanos;
    private final LongAccumulator realTokens;
    private final LongAccumulator paddedTokens;

    private JobStats(SparkContext sc) {
        records = sc.longAccumulator("batchwise.records");
        failed = sc.longAccumulator("batchwise.failed");
        batches = sc.longAccumulator("batchwise.batches");
        retryCalls = sc.longAccumulator("batchwise.retry_calls");
        batchedRecords = sc.longAccumulator("batchwise.batched_records");
        computeNanos = sc.longAccumulator("batchwise.compute_nanos");
        modelNanos = sc.longAccumulator("batchwise.model_nanos");
        realTokens = sc.longAccumulator("batchwise.real_tokens");
        paddedTokens = sc.longAccumulator("batchwise.padded_tokens");
    }

    /** New counters, registered with {@code sc}; call on the driver. */
    public static JobStats register(SparkContext sc) {
        return new JobStats(sc);
    }

    /** Adds one task's totals; on an executor. */
    void add(BatchCore.Summary s) {
        records.add(s.records());
        failed.add(s.failed());
        batches.add(s.batches());
        batchedRecords.add(s.batchedRecords());
        retryCalls.add(s.retryCalls());
        computeNanos.add(s.computeNanos());
        modelNanos.add(s.modelNanos());
        realTokens.add(s.realTokens());
        paddedTokens.add(s.paddedTokens());
    }

    public long records() {
        return records.value();
    }

    public long failed() {
        return failed.value();
    }

    public long batches() {
        return batches.value();
    }

    /**
     * The totals, for {@code --stats-json} and the table; read on the driver after the job.
     *
     * @param wallNanos the job's time on the driver, from listing the input to the output written
     */
    public Map<String, Object> summary(long wallNanos) {
        Map<String, Object> s = new LinkedHashMap<>();
        long n = records.value();
        double seconds = wallNanos / 1e9;
        s.put("records", n);
        s.put("failed", failed.value());
        s.put("batches", batches.value());
        s.put("mean_batch_size", batches.value() == 0 ? 0.0 : round((double) batchedRecords.value() / batches.value()));
        s.put("retry_calls", retryCalls.value());
        s.put("seconds", round(seconds));
        s.put("throughput_per_second", seconds == 0 ? 0.0 : round(n / seconds));
        s.put("compute_seconds", round(computeNanos.value() / 1e9));
        s.put("model_seconds", round(modelNanos.value() / 1e9));
        if (paddedTokens.value() > 0) {
            s.put("tokens", realTokens.value());
            s.put("padded_tokens", paddedTokens.value());
        }
        return s;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
