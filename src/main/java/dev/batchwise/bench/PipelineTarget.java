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
import dev.batchwise.time.Clock;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs points through the real pipeline, on the run layer's {@link WorkerPool}: each worker count's
 * function is set up and its instances loaded once, then lent to every point's pipeline run.
 * Records are cycled from the inputs; each call and each finished record is reported to the point's
 * {@link PointMeter}; a point ends with a stop request once its meter is done, so the backlog of an
 * overloaded point is dropped, not drained.
 */
public final class PipelineTarget implements Target {

    /** Real time a point may take beyond twice its plan before it is given up as hung. */
    private static final long SLACK_NANOS = 30_000_000_000L;

    private final RunSpec base;
    private final Map<String, String> env;
    private final List<Path> files;
    private final InputFormat format;
    private final Clock clock;

    /**
     * @param base the run the sweep varies: its function, mapping, reader and queue settings are kept;
     *     its inputs, batching, workers and arrivals are replaced point by point
     * @param env the environment, for setting up the function (a model's cache directory)
     * @param files the inputs, cycled
     * @param format their format, one for all
     */
    public PipelineTarget(RunSpec base, Map<String, String> env, List<Path> files, InputFormat format, Clock clock) {
        this.base = base;
        this.env = Map.copyOf(env);
        this.files = List.copyOf(files);
        this.format = format;
        this.clock = clock;
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
            PointMeter meter = new PointMeter(clock, plan);
            List<BatchFunction> lent = new ArrayList<>();
            for (Metered m : instances) {
                m.awaitIdle(); // a call the last point's stop left running must end first
                m.meter = meter;
                lent.add(m.lent());
            }
            ArrivalSpec arrival = arrival(s.load());
            RunConfig config = new RunConfig(List.of(Input.stdin()), format, base.readerOptions(), factory,
                    base.mapping(), base.idColumn(), arrival, policy(s, factory instanceof RecordPreparer, arrival),
                    lent.size(), base.batching().queueCapacity(), OutputFormat.JSONL, false, base.grace(),
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
                            warning -> {}, ResumePoint.START, lent);
                } catch (Exception e) {
                    failure[0] = e;
                } finally {
                    meter.abort();
                }
            }, "batchwise-bench-point");
            runner.setDaemon(true);
            meter.start();
            runner.start();
            try {
                meter.awaitDone(plan.budgetNanos() * 2 + SLACK_NANOS);
            } finally {
                pipeline.requestStop();
                records.stop();
                runner.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            return meter.result(s);
        }

        /**
         * Closes the instances once no call runs on them (the sweep waits for a late call instead of
         * dropping its instance, as every point needs all its workers), then the function.
         */
        @Override
        public void close() {
            instances.forEach(Metered::awaitIdleQuietly);
            pool.close();
            closeQuietly(factory);
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

    static ArrivalSpec arrival(Load load) {
        if (load instanceof Load.Clients c) {
            return new ArrivalSpec.ClosedLoop(c.clients());
        }
        Load.Rate r = (Load.Rate) load;
        return new ArrivalSpec.OpenLoop(r.perSecond(), r.poisson(), 1);
    }

    /** The run's batching with the point's batch size and delay, as run makes a policy of it. */
    private BatchPolicy policy(Setting s, boolean weighed, ArrivalSpec arrival) {
        RunSpec.Batching b = base.batching();
        return new RunSpec.Batching(s.maxBatchSize(), s.maxDelayNanos(), b.maxBatchTokens(), b.groupByLength(), null,
                b.timeoutNanos(), b.queueCapacity()).policy(weighed, arrival);
    }
}
