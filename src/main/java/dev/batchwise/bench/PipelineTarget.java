package dev.batchwise.bench;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.pipeline.OnError;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.run.RunSpec;
import dev.batchwise.run.WorkerPool;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ShuffledRecords;
import dev.batchwise.time.Clock;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs points through the real pipeline, on the run layer's {@link WorkerPool}: each worker count's
 * function is set up and its instances loaded once, then lent to every point's pipeline run.
 * Records are cycled from the inputs and drawn in a seeded random order from a window of
 * {@link #SHUFFLE_WINDOW} records ({@link ShuffledRecords}), the same order for every point: a file
 * whose texts grow along it would otherwise give a point a load that drifts from window to window,
 * and no point would be stable. Each call and each finished record is reported to the point's
 * {@link PointMeter}; a point ends with a stop request once its meter is done, so the backlog of an
 * overloaded point is dropped, not drained, and once every call it started has returned.
 *
 * <p>Each point has a bound in real time: its budget (warm-up and every window) plus a margin of as
 * much again, at least {@link #MIN_MARGIN_NANOS}. A point whose meter is not done, or one of whose
 * calls has not returned, by then has <em>timed out</em>: a call hangs in the function (or takes
 * longer than the whole bound). It is reported by {@link PointResult#timedOut}; the instance the call
 * is stuck in cannot serve another point, so that worker count runs no more points, and on close the
 * stuck instance (and the function, whose shared parts the call may use) is abandoned, never closed
 * under the call. The threads left in it are daemon threads: they do not keep the JVM alive.
 */
public final class PipelineTarget implements Target {

    /** The least real time a point gets beyond its budget, for calls in flight at its end to return. */
    public static final long MIN_MARGIN_NANOS = 2_000_000_000L;

    /** How many records the random order draws from: a file of up to this many is shuffled whole. */
    static final int SHUFFLE_WINDOW = 10_000;

    private final RunSpec base;
    private final Map<String, String> env;
    private final List<Path> files;
    private final InputFormat format;
    private final Clock clock;
    private final long seed;
    private final long minMarginNanos;

    /**
     * @param base the run the sweep varies: its function, mapping, reader and queue settings are kept;
     *     its inputs, batching, workers and arrivals are replaced point by point
     * @param env the environment, for setting up the function (a model's cache directory)
     * @param files the inputs, cycled
     * @param format their format, one for all
     * @param seed the seed of Poisson arrivals and of the order records are drawn in ({@code --seed})
     * @param minMarginNanos the least real time a point gets beyond its budget before it times out
     */
    public PipelineTarget(RunSpec base, Map<String, String> env, List<Path> files, InputFormat format, Clock clock,
            long seed, long minMarginNanos) {
        this.base = base;
        this.env = Map.copyOf(env);
        this.files = List.copyOf(files);
        this.format = format;
        this.clock = clock;
        this.seed = seed;
        this.minMarginNanos = minMarginNanos;
    }

    /** Poisson arrivals seeded with 1, run's default, and the default margin. */
    public PipelineTarget(RunSpec base, Map<String, String> env, List<Path> files, InputFormat format, Clock clock) {
        this(base, env, files, format, clock, 1, MIN_MARGIN_NANOS);
    }

    /** The real time a point of {@code plan} may take before it times out. */
    public long boundNanos(PointMeter.Plan plan) {
        return plan.budgetNanos() + Math.max(plan.budgetNanos(), minMarginNanos);
    }

    @Override
    public Workers load(int workers) throws Exception {
        long start = System.nanoTime();
        BatchFunctionFactory factory = base.function().factory(workers, env);
        WorkerPool pool;
        try {
            pool = WorkerPool.load(factory, workers);
        } catch (Exception | Error e) {
            closeQuietly(factory);
            throw e;
        }
        return new Loaded(factory, pool, System.nanoTime() - start);
    }

    private final class Loaded implements Workers {
        private final BatchFunctionFactory factory;
        private final WorkerPool pool;
        private final List<Metered> instances = new ArrayList<>();
        private final long loadNanos;
        /** The instances a call of a timed-out point is still in; only the sweep's thread touches it. */
        private final List<Metered> stuck = new ArrayList<>();

        Loaded(BatchFunctionFactory factory, WorkerPool pool, long loadNanos) {
            this.factory = factory;
            this.pool = pool;
            this.loadNanos = loadNanos;
            for (BatchFunction f : pool.instances()) {
                instances.add(new Metered(f, clock));
            }
        }

        @Override
        public long loadNanos() {
            return loadNanos;
        }

        @Override
        public PointResult run(Setting s, PointMeter.Plan plan) throws Exception {
            if (!stuck.isEmpty()) {
                throw new IllegalStateException("a call of an earlier point never returned: no more points run here");
            }
            PointMeter meter = new PointMeter(clock, plan);
            List<BatchFunction> lent = new ArrayList<>();
            for (Metered m : instances) {
                m.meter = meter; // no call runs: the last point ended only once its calls had returned
                lent.add(m.lent());
            }
            ArrivalSpec arrival = arrival(s.load(), seed);
            RunConfig config = new RunConfig(List.of(Input.stdin()), format, base.readerOptions(), factory,
                    base.mapping(), base.idColumn(), arrival, policy(base.batching(), s, factory instanceof RecordPreparer,
                    arrival), lent.size(), base.batching().queueCapacity(), OutputFormat.JSONL, false, base.grace(),
                    OnError.CONTINUE);
            Pipeline pipeline = new Pipeline(config, clock,
                    r -> meter.record(r.queueNanos(), r.latencyNanos(), r.failed()));
            CyclingInput records = new CyclingInput(files,
                    (format == InputFormat.CSV || format == InputFormat.TSV) && base.readerOptions().header());
            Exception[] failure = new Exception[1];
            Thread runner = new Thread(() -> {
                try {
                    // the output lines are written as a run writes them, and thrown away
                    pipeline.run(records, layout -> OutputFormat.JSONL.open(OutputStream.nullOutputStream(), layout, true),
                            warning -> {}, ResumePoint.START, lent,
                            read -> new ShuffledRecords(read, SHUFFLE_WINDOW, seed));
                } catch (Exception e) {
                    failure[0] = e;
                } finally {
                    meter.abort();
                }
            }, "batchwise-bench-point");
            runner.setDaemon(true);
            long deadline = System.nanoTime() + boundNanos(plan);
            meter.start();
            runner.start();
            boolean done;
            try {
                done = awaitDone(meter, plan, deadline);
            } finally {
                pipeline.requestStop();
                records.stop();
            }
            runner.join(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            for (Metered m : instances) {
                if (!m.awaitIdle(deadline)) {
                    stuck.add(m);
                }
            }
            if (!done || !stuck.isEmpty() || runner.isAlive()) {
                if (stuck.isEmpty()) {
                    stuck.addAll(instances); // the run did not end: which call holds it is unknown
                }
                return PointResult.timedOut(s, meter.windows().size());
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            return meter.result(s);
        }

        /**
         * Closes the instances, then the function; when a call is stuck in one, closes the others only
         * and abandons that one and the function.
         */
        @Override
        public void close() {
            pool.lost(stuck.stream().map(m -> m.delegate).toList());
            pool.close();
            if (stuck.isEmpty()) {
                closeQuietly(factory);
            }
        }
    }

    /**
     * Waits in real time until the meter is done or {@code deadlineNanos}, telling it the time once a
     * window or more often, so that its windows close on time even while no event comes (a slow
     * call, or none); returns whether it is done.
     */
    private static boolean awaitDone(PointMeter meter, PointMeter.Plan plan, long deadlineNanos)
            throws InterruptedException {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return meter.finished();
            }
            if (meter.awaitDone(Math.min(left, plan.windowNanos()))) {
                return true;
            }
            meter.tick();
        }
    }

    private static void closeQuietly(BatchFunctionFactory factory) {
        if (factory instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the sweep is over for this worker count; nothing left to tell
            }
        }
    }

    /** The point's arrivals: closed-loop clients, or an open loop whose Poisson gaps are seeded with {@code seed}. */
    static ArrivalSpec arrival(Load load, long seed) {
        if (load instanceof Load.Clients c) {
            return new ArrivalSpec.ClosedLoop(c.clients());
        }
        Load.Rate r = (Load.Rate) load;
        return new ArrivalSpec.OpenLoop(r.perSecond(), r.poisson(), seed);
    }

    /**
     * The run's batching ({@code --max-batch-tokens}, {@code --group-by-length}, {@code --lookahead},
     * {@code --timeout}, {@code --queue-capacity}) with the point's batch size and delay, as run makes a
     * policy of it.
     */
    static BatchPolicy policy(RunSpec.Batching b, Setting s, boolean weighed, ArrivalSpec arrival) {
        return new RunSpec.Batching(s.maxBatchSize(), s.maxDelayNanos(), b.maxBatchTokens(), b.groupByLength(),
                b.lookahead(), b.timeoutNanos(), b.queueCapacity()).policy(weighed, arrival);
    }
}
