package dev.batchwise.bench;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.time.Clock;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Runs points through the real pipeline. Each worker count's function instances are loaded once and
 * lent to every point's pipeline run; records are cycled from the inputs; each call and each
 * finished record is reported to the point's {@link PointMeter}; a point ends with a stop request
 * once its meter is done, so the backlog of an overloaded point is dropped, not drained.
 */
public final class PipelineTarget implements Target {

    /** Real time a point may take beyond its plan before it is given up as hung. */
    private static final long SLACK_NANOS = 30_000_000_000L;

    private final IntFunction<RunConfig> configs;
    private final List<Path> files;
    private final InputFormat format;
    private final Clock clock;

    /**
     * @param configs the run config for a worker count, as {@code batchwise run --workers N} would
     *     make it from the sweep's other options; its function is set up but not loaded
     * @param files the inputs, cycled
     * @param format their format, one for all
     */
    public PipelineTarget(IntFunction<RunConfig> configs, List<Path> files, InputFormat format, Clock clock) {
        this.configs = configs;
        this.files = List.copyOf(files);
        this.format = format;
        this.clock = clock;
    }

    @Override
    public Workers load(int workers) throws Exception {
        RunConfig base = configs.apply(workers);
        long start = System.nanoTime();
        List<BatchFunction> loaded = Instances.create(base.function(), workers);
        return new Loaded(base, loaded, System.nanoTime() - start);
    }

    private final class Loaded implements Workers {
        private final RunConfig base;
        private final List<Metered> instances = new ArrayList<>();
        private final long loadNanos;

        Loaded(RunConfig base, List<BatchFunction> functions, long loadNanos) {
            this.base = base;
            this.loadNanos = loadNanos;
            for (BatchFunction f : functions) {
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
            for (Metered m : instances) {
                m.awaitIdle();
                m.meter = meter;
            }
            Lender lender = base.function() instanceof RecordPreparer
                    ? new PreparingLender(base.function(), instances) : new Lender(base.function(), instances);
            RunConfig config = new RunConfig(List.of(Input.stdin()), format, base.readerOptions(), lender,
                    base.inputMapping(), base.idColumn(), arrival(s.load()), policy(base.policy(), s, base.queueCapacity()),
                    s.workers(), base.queueCapacity(), OutputFormat.JSONL, false, base.grace());
            Pipeline pipeline = new Pipeline(config, clock,
                    r -> meter.record(r.queueNanos(), r.latencyNanos(), r.failed()));
            CyclingInput records = new CyclingInput(files, (format == InputFormat.CSV || format == InputFormat.TSV) && base.readerOptions().header());
            Exception[] failure = new Exception[1];
            Thread runner = new Thread(() -> {
                try {
                    pipeline.run(records, OutputStream.nullOutputStream(), warning -> {});
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

        @Override
        public void close() {
            for (Metered m : instances) {
                m.awaitIdleQuietly();
                try {
                    m.delegate.close();
                } catch (Exception ignored) {
                    // the sweep is over for this worker count; nothing left to tell
                }
            }
            if (base.function() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // as above
                }
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

    /** The base policy with the point's batch size and delay; lookahead as {@code batchwise run} sets it outside burst arrival. */
    static BatchPolicy policy(BatchPolicy base, Setting s, int queueCapacity) {
        int lookahead = (int) Math.max(s.maxBatchSize(), Math.min(Math.max(1, queueCapacity), 8L * s.maxBatchSize()));
        return new BatchPolicy(s.maxBatchSize(), s.maxDelayNanos(), base.maxBatchWeight(), base.groupByWeight(),
                lookahead, base.queueTimeoutNanos());
    }

    /** Hands the loaded instances out, one per worker of a run, in turn; closing one returns it. */
    private static class Lender implements BatchFunctionFactory {
        private final BatchFunctionFactory function;
        private final BlockingQueue<Metered> free;

        Lender(BatchFunctionFactory function, List<Metered> instances) {
            this.function = function;
            this.free = new ArrayBlockingQueue<>(instances.size(), false, instances);
        }

        @Override
        public String name() {
            return function.name();
        }

        @Override
        public Signature signature() {
            return function.signature();
        }

        @Override
        public BatchFunction create() {
            Metered m = free.poll();
            if (m == null) {
                throw new IllegalStateException("more workers than loaded instances");
            }
            return m.lent();
        }
    }

    /** A lender for a function that prepares records as they are read (a text model tokenizes). */
    private static final class PreparingLender extends Lender implements RecordPreparer {
        private final RecordPreparer preparer;

        PreparingLender(BatchFunctionFactory function, List<Metered> instances) {
            super(function, instances);
            this.preparer = (RecordPreparer) function;
        }

        @Override
        public int prepare(Object[] args) {
            return preparer.prepare(args);
        }
    }
}
