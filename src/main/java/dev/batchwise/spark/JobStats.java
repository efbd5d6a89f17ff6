package dev.batchwise.spark;

import dev.batchwise.stats.RunStats;
import dev.batchwise.stats.StageStats;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * The job's stats, gathered from the tasks with one accumulator: each task's run adds what its
 * workers recorded and its record counts, and the driver makes of them the stats of the whole job,
 * in the command line's layout ({@link RunStats}, written by the same report). Spark applies an
 * accumulator update made in a transformation once per task attempt, so a retried or speculative task
 * counts twice: these are the work done, which equals the records written when no task was retried.
 */
public final class JobStats implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What the tasks did, added up. Not thread-safe: Spark gives each task a copy and merges them. */
    static final class Totals implements Serializable {
        private static final long serialVersionUID = 1L;

        StageStats stages = new StageStats(0);
        long records;
        long failed;
        long intakeCpuNanos;
        int runs;

        void add(Totals other) {
            stages.add(other.stages);
            records += other.records;
            failed += other.failed;
            intakeCpuNanos += other.intakeCpuNanos;
            runs += other.runs;
        }
    }

    /** The accumulator of {@link Totals}. */
    static final class TotalsAccumulator extends AccumulatorV2<Totals, Totals> {
        private static final long serialVersionUID = 1L;

        private Totals totals = new Totals();

        @Override
        public boolean isZero() {
            return totals.runs == 0 && totals.records == 0;
        }

        @Override
        public AccumulatorV2<Totals, Totals> copy() {
            TotalsAccumulator c = new TotalsAccumulator();
            c.totals.add(totals);
            return c;
        }

        @Override
        public void reset() {
            totals = new Totals();
        }

        @Override
        public void add(Totals v) {
            totals.add(v);
        }

        @Override
        public void merge(AccumulatorV2<Totals, Totals> other) {
            totals.add(other.value());
        }

        @Override
        public Totals value() {
            return totals;
        }
    }

    private final TotalsAccumulator totals = new TotalsAccumulator();

    private JobStats(SparkContext sc) {
        sc.register(totals, "batchwise.stats");
    }

    /** New stats, registered with {@code sc}; call on the driver. */
    public static JobStats register(SparkContext sc) {
        return new JobStats(sc);
    }

    /**
     * Adds one task's run; on an executor.
     *
     * @param records the task's records, those that failed before they could run included
     * @param failed its failed records
     */
    void add(long records, long failed, RunStats run) {
        Totals t = new Totals();
        t.stages = run.totals();
        t.records = records;
        t.failed = failed;
        t.intakeCpuNanos = run.intakeCpuNanos();
        t.runs = 1;
        totals.add(t);
    }

    public long records() {
        return totals.value().records;
    }

    public long failed() {
        return totals.value().failed;
    }

    /**
     * The stats of the job, read on the driver after it.
     *
     * @param wallNanos the job's time on the driver, from listing the input to the output written
     */
    public RunStats stats(long wallNanos) {
        Totals t = totals.value();
        return RunStats.merge(java.util.List.of(t.stages), t.records, t.failed, wallNanos, Math.max(1, t.runs), false,
                t.intakeCpuNanos);
    }
}
