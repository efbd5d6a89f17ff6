package dev.batchwise.bench;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.run.Console;
import dev.batchwise.run.RunSession;
import dev.batchwise.run.RunSpec;
import dev.batchwise.run.Signals;
import dev.batchwise.run.WorkerPool;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ShuffledRecords;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Phrase;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Runs each point through the run layer: a {@link RunSession} of the point's spec on a
 * {@link WorkerPool} whose instances are loaded once per worker count and lent to every point, with
 * the hooks a point needs. Records are cycled from the inputs and drawn in a seeded random order from
 * a window of {@link #SHUFFLE_WINDOW} records ({@link ShuffledRecords}), the same order for every
 * point: a file whose texts grow along it would otherwise give a point a load that drifts from window
 * to window, and no point would be stable. A point's warm-up begins with its first record (so the
 * reading of that window is not part of it). Each call and each finished record is reported to the
 * point's {@link PointMeter}; the output lines are written as a run writes them, and discarded. A
 * point ends with a stop request once its meter is done, so the backlog of an overloaded point is
 * dropped, not drained, and once every call it started has returned.
 *
 * <p>Each point has a bound in real time, from its first record: its budget (warm-up and every window)
 * plus a margin of as much again, at least {@link #MIN_MARGIN_NANOS}. A point whose meter is not done, or one of whose
 * calls has not returned, by then has <em>timed out</em>: a call hangs in the function (or takes
 * longer than the whole bound). It is reported by {@link PointResult#timedOut}; the instance the call
 * is stuck in cannot serve another point, so that worker count runs no more points, and on close the
 * stuck instance (and the function, whose shared parts the call may use) is abandoned, never closed
 * under the call. The threads left in it are daemon threads: they do not keep the JVM alive.
 */
public final class RunTarget implements Target {

    /** The least real time a point gets beyond its budget, for calls in flight at its end to return. */
    public static final long MIN_MARGIN_NANOS = 2_000_000_000L;

    /** How many records the random order draws from: a file of up to this many is shuffled whole. */
    static final int SHUFFLE_WINDOW = 10_000;

    private final PointSpecs specs;
    private final Map<String, String> env;
    private final List<Path> files;
    private final boolean header;
    private final Clock clock;
    private final long minMarginNanos;
    /** Set by {@link #interrupt}, from a signal handler's thread: no point runs to its end any more. */
    private volatile boolean interrupted;
    /** The meter of the point in flight, or {@code null}; for {@link #interrupt} to end it. */
    private volatile PointMeter current;

    /**
     * @param specs the run of each point
     * @param env the environment, for setting up the function (a model's cache directory)
     * @param files the inputs, cycled
     * @param format their format, one for all
     * @param minMarginNanos the least real time a point gets beyond its budget before it times out
     */
    public RunTarget(PointSpecs specs, Map<String, String> env, List<Path> files, InputFormat format, Clock clock,
            long minMarginNanos) {
        this.specs = specs;
        this.env = Map.copyOf(env);
        this.files = List.copyOf(files);
        this.header = (format == InputFormat.CSV || format == InputFormat.TSV) && specs.base().input().reader().header();
        this.clock = clock;
        this.minMarginNanos = minMarginNanos;
    }

    /** The real time a point of {@code plan} may take before it times out. */
    public long boundNanos(PointMeter.Plan plan) {
        return plan.budgetNanos() + Math.max(plan.budgetNanos(), minMarginNanos);
    }

    /**
     * Stops the sweep (Ctrl-C, SIGTERM): the point in flight ends now, and it and every later point
     * throws {@link Sweep.Interrupted}. Any thread.
     */
    public void interrupt() {
        interrupted = true;
        PointMeter meter = current;
        if (meter != null) {
            meter.abort();
        }
    }

    @Override
    public Workers load(int workers) throws Exception {
        return load(new Grid.Pool(workers, 0));
    }

    @Override
    public Workers load(Grid.Pool p) throws Exception {
        int workers = p.workers();
        long start = System.nanoTime();
        BatchFunctionFactory factory = specs.base(p.modelThreads()).function().factory(workers, env);
        List<Metered> metered = new ArrayList<>();
        WorkerPool pool;
        try {
            pool = WorkerPool.load(factory, workers, f -> {
                Metered m = f instanceof dev.batchwise.fn.SteppedBatchFunction stepped ? new MeteredSteps(stepped, clock)
                        : new Metered(f, clock);
                metered.add(m);
                return m;
            });
        } catch (Exception | Error e) {
            closeQuietly(factory);
            throw e;
        }
        List<String> outputs = factory.signature().outputs();
        boolean generates = specs.base().function().generates();
        Tokens tokens = generates ? new Tokens(outputs.indexOf("prompt_tokens"), outputs.indexOf("completion_tokens")) : null;
        return new Loaded(factory, pool, metered, System.nanoTime() - start, tokens);
    }

    /**
     * Where a generated record's outputs hold its prompt and generated token counts, by the names
     * generation's signature gives them; -1 where it has none.
     */
    private record Tokens(int prompt, int completion) {
        /** One finished record to the meter, with its first token and tokens when it has them. */
        void record(PointMeter meter, dev.batchwise.result.Result r) {
            Object[] out = r.outputs();
            meter.record(r.queueNanos(), r.latencyNanos(), r.failed(), r.firstTokenNanos(), count(out, completion),
                    count(out, prompt));
        }

        private static long count(Object[] outputs, int index) {
            return outputs != null && index >= 0 && index < outputs.length && outputs[index] instanceof Number n
                    ? n.longValue() : 0;
        }
    }

    /** The stop request of one point's run, made when its meter is done. */
    private static final class Stop implements Signals {
        private volatile IntConsumer onStop = code -> {};

        @Override
        public AutoCloseable install(IntConsumer handler) {
            onStop = handler;
            return () -> onStop = code -> {};
        }

        void now() {
            onStop.accept(dev.batchwise.run.ExitCodes.INTERRUPTED);
        }
    }

    private final class Loaded implements Workers {
        private final BatchFunctionFactory factory;
        private final WorkerPool pool;
        private final List<Metered> instances;
        private final long loadNanos;
        /** The instances a call of a timed-out point is still in; only the sweep's thread touches it. */
        private final List<Metered> stuck = new ArrayList<>();
        /** For a generating function, where its outputs count tokens; null otherwise. */
        private final Tokens tokens;

        Loaded(BatchFunctionFactory factory, WorkerPool pool, List<Metered> instances, long loadNanos, Tokens tokens) {
            this.factory = factory;
            this.pool = pool;
            this.instances = List.copyOf(instances);
            this.loadNanos = loadNanos;
            this.tokens = tokens;
        }

        @Override
        public long loadNanos() {
            return loadNanos;
        }

        @Override
        public PointResult run(Setting s, PointMeter.Plan plan) throws Exception {
            return run(s, plan, List.of(), true);
        }

        @Override
        public PointResult run(Setting s, PointMeter.Plan plan, List<Window> prior, boolean latencyCounts)
                throws Exception {
            if (!stuck.isEmpty()) {
                throw new IllegalStateException("a call of an earlier point never returned: no more points run here");
            }
            RunSpec point = specs.point(s);
            PointMeter meter = new PointMeter(clock, plan, prior, latencyCounts, tokens != null);
            current = meter; // before the check: a stop sees this meter, or this point sees the stop
            if (interrupted) {
                throw new Sweep.Interrupted();
            }
            for (Metered m : instances) {
                m.meter = meter; // no call runs: the last point ended only once its calls had returned
            }
            CyclingInput records = new CyclingInput(files, header);
            Stop stop = new Stop();
            long seed = specs.seed();
            // the point's warm-up starts with its first record, once the random order has its window of records
            RunSession session = new RunSession(point, records, OutputStream.nullOutputStream(), env,
                    new Console(new PrintWriter(Writer.nullWriter()), true, Phrase.KEYS), clock, stop)
                    .withHooks(new RunSession.Hooks(tokens != null ? r -> tokens.record(meter, r)
                            : r -> meter.record(r.queueNanos(), r.latencyNanos(), r.failed()),
                            read -> new FirstRecord(new ShuffledRecords(read, SHUFFLE_WINDOW, seed), meter::start)));
            Exception[] failure = new Exception[1];
            Thread runner = new Thread(() -> {
                try {
                    session.run(pool);
                } catch (Exception e) {
                    failure[0] = e;
                } finally {
                    meter.abort();
                }
            }, "batchwise-bench-point");
            runner.setDaemon(true);
            runner.start();
            meter.awaitStart(); // the records to draw from are read; a file's reading cannot hang
            long deadline = System.nanoTime() + boundNanos(plan);
            boolean done;
            try {
                done = awaitDone(meter, plan, deadline);
            } finally {
                stop.now();
                records.stop();
            }
            runner.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            for (Metered m : instances) {
                if (!m.awaitIdle(deadline)) {
                    stuck.add(m);
                }
            }
            if (interrupted) {
                throw new Sweep.Interrupted(); // cut short: not a measurement of the point
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
            pool.lost(List.copyOf(stuck));
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
}
