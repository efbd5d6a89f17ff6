package dev.batchwise.pipeline;

import dev.batchwise.batching.BatchQueue;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.sink.FailuresFirstWriter;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordSource;
import dev.batchwise.stats.RunStats;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One run: inputs, through the intake, the batch queue and the workers, to the ordered sink.
 *
 * <pre>
 * RecordSource -> Intake -> BlockingBatchQueue -> Worker x N -> OrderedSink -> ResultWriter
 * </pre>
 *
 * The intake runs on its own thread (it may block reading standard input); the workers on theirs; the
 * caller's thread sets up, waits, and tears down. {@link #requestStop()} may be called from any thread,
 * such as a signal handler: intake stops, records still queued are dropped, in-flight batches get
 * {@link RunConfig#grace()} to finish, and the output keeps the contiguous prefix. Under
 * {@code --on-error stop} the first failed record stops the reading in the same way, but what was
 * read before it still runs, without a time limit.
 */
public final class Pipeline {

    /** Told of every record as it is written, in order; for progress and error files. */
    public interface Observer {
        void written(Result result) throws IOException;

        Observer NONE = r -> {};
    }

    /**
     * Opens the output once the run is known to start: after the inputs, the mapping, a resume
     * point and the function have been checked, so that a run that fails before it starts leaves an
     * earlier output untouched.
     */
    public interface Output {
        OutputStream open() throws IOException;
    }

    /** The longest a written line stays in the output buffer: lines are flushed at least this often. */
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final RunConfig config;
    private final Clock clock;
    private final Observer observer;
    private final AtomicLong writtenCount = new AtomicLong();
    /** Wall-clock instants for start-up stats; written once each. */
    private volatile java.time.Instant intakeStarted;
    private volatile java.time.Instant firstWritten;
    private final AtomicLong failedCount = new AtomicLong();
    /** The first failed record written, in input order; written under the sink's lock. */
    private volatile Result firstFailure;

    private final Object monitor = new Object();
    /** Guarded by monitor. */
    private int workersRunning;
    /** Guarded by monitor: when a stop with a grace period was requested ({@link Clock} nanoseconds). */
    private long stopRequestedNanos;
    /** Guarded by monitor: whether in-flight batches have only the grace period left. */
    private boolean graceRunning;
    /** Guarded by monitor: why the run is ending early, or {@code null}. */
    private Outcome.Ending stopReason;
    /** Guarded by monitor: the first failure of a pipeline thread, a bug. */
    private Throwable internalError;
    /** Written once, by the thread that gave up on closing the functions. */
    private volatile String abandoned;
    /** Set once any stop is requested; read per record while a resumed run skips. */
    private volatile boolean stopping;

    private volatile Intake intake;
    private volatile Thread intakeThread;
    private volatile BlockingBatchQueue<Request> queue;

    public Pipeline(RunConfig config, Clock clock, Observer observer) {
        this.config = config;
        this.clock = clock;
        this.observer = observer;
    }

    /** Records written so far in this run; any thread. */
    public long written() {
        return writtenCount.get();
    }

    /** Failed records written so far in this run; any thread. */
    public long failed() {
        return failedCount.get();
    }

    /**
     * Runs all records to {@code out}, from the first, without an errors file; see
     * {@link #run(InputStream, Output, ResultWriter, Consumer, ResumePoint)}.
     */
    public Outcome run(InputStream stdin, OutputStream out, Consumer<String> warnings)
            throws InputException, MappingException, ResumeException, FunctionStartException, IOException,
            InterruptedException {
        return run(stdin, () -> out, null, warnings, ResumePoint.START);
    }

    /**
     * Runs to the end of the inputs, or until stopped.
     *
     * @param failures where failed records also go, each just before its output line, or {@code null};
     *     flushed, not closed
     * @param warnings receives one-line warnings (an empty input, say)
     * @param resume the records already written by an earlier run: read again and checked, not run
     * @throws InputException when an input cannot be opened; nothing has run
     * @throws MappingException when the input mapping does not fit the function or the inputs; nothing has run
     * @throws ResumeException when the inputs do not hold the records {@code resume} says are done; nothing has run
     * @throws FunctionStartException when the function cannot be made; nothing has run
     * @throws IOException when the output cannot be opened or started
     */
    public Outcome run(InputStream stdin, Output out, ResultWriter failures, Consumer<String> warnings,
            ResumePoint resume) throws InputException, MappingException, ResumeException, FunctionStartException,
            IOException, InterruptedException {
        BatchFunctionFactory factory = config.function();
        Signature signature = factory.signature();
        checkOutputNames(factory.name(), signature);
        InputBinding binding;
        try {
            binding = new InputBinding(factory.name(), signature, config.inputMapping(), config.idColumn());
        } catch (IllegalArgumentException e) {
            throw new MappingException(e.getMessage());
        }
        try (RecordSource source = new RecordSource(config.inputs(), config.format(), config.readerOptions(), stdin,
                warnings)) {
            var inputs = source.prepare();
            try {
                binding.check(inputs);
            } catch (IllegalArgumentException e) {
                throw new MappingException(e.getMessage());
            }
            if (!skip(source, binding, resume)) {
                return new Outcome(Outcome.Ending.STOPPED, RunStats.merge(List.of(), 0, 0, 0, 0, true, 0), 0, 0,
                        "stopped before any record was run");
            }
            List<BatchFunction> functions = createFunctions(factory);
            if (functions == null) {
                return new Outcome(Outcome.Ending.STOPPED, RunStats.merge(List.of(), 0, 0, 0, 0, true, 0), 0, 0,
                        "stopped while the function was starting");
            }
            return run(source, binding, functions, out, failures, resume);
        }
    }

    /**
     * Reads the records a resumed run has already written, and checks the last one's key.
     *
     * @return false when a stop was requested meanwhile
     */
    private boolean skip(RecordSource source, InputBinding binding, ResumePoint resume)
            throws InputException, ResumeException {
        Record last = null;
        for (long n = 1; n <= resume.recordsDone(); n++) {
            if (stopping) {
                return false;
            }
            last = source.next();
            if (last == null) {
                throw new ResumeException(resume.output() + " holds " + resume.recordsDone() + " records, but the input"
                        + " has only " + (n - 1) + ": it is not the input of the run being resumed");
            }
        }
        if (last != null) {
            String mismatch = resume.lastKey().mismatch(last.seq(), binding.key(last));
            if (mismatch != null) {
                throw new ResumeException(mismatch);
            }
        }
        return true;
    }

    /** Runs the records; closes the functions, except those of workers still busy when it gives up on them. */
    private Outcome run(RecordSource source, InputBinding binding, List<BatchFunction> functions, Output output,
            ResultWriter failures, ResumePoint resume) throws IOException, InterruptedException {
        List<Worker> workers = new ArrayList<>();
        List<Thread> workerThreads = new ArrayList<>();
        try {
            return run(source, binding, functions, output.open(), failures, resume, workers, workerThreads);
        } finally {
            List<BatchFunction> idle = new ArrayList<>();
            for (int i = 0; i < functions.size(); i++) {
                // a worker still in a call owns its function: closing it under the call could crash a native model
                if (i >= workerThreads.size() || workers.get(i).finished()) {
                    idle.add(functions.get(i));
                }
            }
            closeWithinGrace(idle);
        }
    }

    /**
     * What the run had to give up on when it ended, for the user: a function whose {@code close()} did
     * not return within the grace period; {@code null} when nothing was. Read after {@code run}.
     */
    public String abandoned() {
        return abandoned;
    }

    /**
     * Closes the functions on a thread of its own and waits for it at most the grace period, or,
     * when a stop is requested meanwhile, not at all: a close that never returns must neither keep a
     * finished output from being committed nor make a signal do nothing.
     */
    private void closeWithinGrace(List<BatchFunction> functions) throws InterruptedException {
        if (functions.isEmpty()) {
            return;
        }
        boolean[] closed = new boolean[1];
        Thread closer = new Thread(() -> {
            closeAll(functions);
            synchronized (monitor) {
                closed[0] = true;
                monitor.notifyAll();
            }
        }, "batchwise-close");
        closer.setDaemon(true);
        long graceNanos = config.grace().toNanos();
        synchronized (monitor) {
            long started = clock.nanoTime();
            boolean stoppedBefore = graceRunning;
            closer.start();
            while (!closed[0]) {
                long left = graceNanos - (clock.nanoTime() - started);
                if (left <= 0 || (graceRunning && !stoppedBefore)) {
                    abandoned = "function '" + config.function().name() + "' did not return from close() within "
                            + (left <= 0 ? Durations.format(graceNanos) + " (--grace)" : "the stop")
                            + "; it was abandoned";
                    return;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    private Outcome run(RecordSource source, InputBinding binding, List<BatchFunction> functions, OutputStream out,
            ResultWriter failures, ResumePoint resume, List<Worker> workers, List<Thread> workerThreads)
            throws IOException, InterruptedException {
        Signature signature = config.function().signature();
        OutputLayout layout = new OutputLayout(signature.outputs(), config.withTiming());
        ResultWriter writer = config.outputFormat().open(out, layout, resume.recordsDone() == 0);
        if (failures != null) {
            writer = new FailuresFirstWriter(writer, failures);
        }
        OrderedSink sink = new OrderedSink(writer, this::written, () -> stop(Outcome.Ending.OUTPUT_FAILED),
                config.reorderWindow(), FLUSH_INTERVAL_NANOS, resume.recordsDone() + 1, clock);
        queue = new BlockingBatchQueue<>(new BatchQueue<>(config.policy(), config.queueCapacity()), clock);
        RecordPreparer preparer = config.function() instanceof RecordPreparer p ? p : null;
        intake = new Intake(source, binding, preparer, config.arrival(), queue, sink, clock, seq -> failedAt(seq, true));
        for (BatchFunction f : functions) {
            workers.add(new Worker(config.function().name(), signature.inputs().size(), signature.outputs(), f, queue,
                    sink, config.outputFormat(), this::finished, new StageStats(config.policy().maxBatchSize()), clock,
                    config.policy().queueTimeoutNanos()));
        }
        boolean stoppedAlready;
        synchronized (monitor) {
            workersRunning = workers.size();
            stoppedAlready = stopReason == Outcome.Ending.STOPPED;
        }
        if (stoppedAlready) {
            // a stop came while the function was starting, before the intake and the queue existed
            intake.stop();
            queue.closeAndDrain();
        }

        long start = clock.nanoTime();
        intakeStarted = java.time.Instant.now();
        InputException[] inputFailure = new InputException[1];
        for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            Thread t = new Thread(() -> runWorker(w), "batchwise-worker-" + (i + 1));
            t.setDaemon(true);
            workerThreads.add(t);
            t.start();
        }
        AtomicLong intakeCpuNanos = new AtomicLong(-1);
        Thread in = new Thread(() -> {
            try {
                intake.run();
            } catch (InputException e) {
                inputFailure[0] = e;
            } catch (InterruptedException e) {
                // stopped
            } catch (Throwable t) {
                fail(t);
            } finally {
                intakeCpuNanos.set(StageStats.threadCpuNanos());
            }
        }, "batchwise-intake");
        in.setDaemon(true);
        intakeThread = in;
        in.start();

        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "batchwise-flush");
            t.setDaemon(true);
            return t;
        });
        long tick = FLUSH_INTERVAL_NANOS / 2;
        flusher.scheduleAtFixedRate(sink::flushIfStale, tick, tick, TimeUnit.NANOSECONDS);
        boolean abandoned;
        try {
            abandoned = awaitWorkers();
        } finally {
            flusher.shutdownNow();
        }
        if (abandoned) {
            workerThreads.forEach(Thread::interrupt);
        }
        long end = clock.nanoTime();
        Throwable bug;
        Outcome.Ending stopped;
        synchronized (monitor) {
            bug = internalError;
            stopped = stopReason;
        }
        if (stopped == null) {
            // Workers finish only once the queue is closed, which intake does as it ends.
            in.join();
        }
        IOException writeError = null;
        try {
            sink.close();
        } catch (IOException e) {
            writeError = e;
        }
        if (bug != null) {
            throw new IllegalStateException("internal error: " + bug, bug);
        }
        List<StageStats> stages = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            StageStats s = workers.get(i).stats();
            if (!workers.get(i).finished()) {
                s.cpuNanos(StageStats.threadCpuNanos(workerThreads.get(i)));
            }
            stages.add(s);
        }
        long intakeCpu = intakeCpuNanos.get() >= 0 ? intakeCpuNanos.get() : StageStats.threadCpuNanos(in);
        long written = writtenCount.get();
        RunStats stats = RunStats.merge(stages, written, failedCount.get(), end - start, workers.size(),
                stopped == Outcome.Ending.STOPPED, intakeCpu);
        long read = stopped == null ? source.recordsRead() - resume.recordsDone() : written;
        if (writeError != null) {
            return new Outcome(Outcome.Ending.OUTPUT_FAILED, stats, read, written,
                    "cannot write the output: " + Worker.describe(writeError));
        }
        if (stopped == Outcome.Ending.STOPPED) {
            return new Outcome(Outcome.Ending.STOPPED, stats, read, written, "stopped after " + written + " records");
        }
        if (stopped == Outcome.Ending.STOPPED_AT_FAILURE) {
            Result first = firstFailure;
            return new Outcome(Outcome.Ending.STOPPED_AT_FAILURE, stats, read, written, first == null
                    ? "stopped at the first failure"
                    : "stopped at the first failure (record " + first.seq() + ", " + first.origin() + "): "
                            + first.failure().message());
        }
        if (inputFailure[0] != null) {
            return new Outcome(Outcome.Ending.INPUT_FAILED, stats, read, written, inputFailure[0].getMessage());
        }
        return new Outcome(Outcome.Ending.COMPLETED, stats, read, written, null);
    }

    /** When intake started: the function was loaded and records began to flow; {@code null} before. */
    public java.time.Instant intakeStarted() {
        return intakeStarted;
    }

    /** When the first output line was written; {@code null} before. */
    public java.time.Instant firstWritten() {
        return firstWritten;
    }

    private void written(Result r) throws IOException {
        if (writtenCount.incrementAndGet() == 1) {
            firstWritten = java.time.Instant.now();
        }
        if (r.failed()) {
            failedCount.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = r;
            }
        }
        observer.written(r);
    }

    /** A worker handed a batch's results to the sink. */
    private void finished(List<Result> results) {
        Intake i = intake;
        i.finished(results.size());
        if (config.onError() == OnError.STOP) {
            for (Result r : results) {
                if (r.failed()) {
                    failedAt(r.seq(), false);
                }
            }
        }
    }

    /**
     * Record {@code seq} failed. Under {@code --on-error stop}, stops reading; when the failure was
     * found by a worker, the records still queued after it are dropped, while those before it run, so
     * that the output reaches it.
     *
     * @param atIntake whether the intake found it (a record that cannot be read or bound), on its own
     *     thread: then everything queued is older and runs
     */
    private void failedAt(long seq, boolean atIntake) {
        if (config.onError() != OnError.STOP) {
            return;
        }
        synchronized (monitor) {
            if (stopReason != null) {
                return;
            }
            stopReason = Outcome.Ending.STOPPED_AT_FAILURE;
        }
        stopping = true;
        Intake i = intake;
        i.stop();
        if (!atIntake) {
            queue.closeAndRemoveIf(r -> r.record.seq() > seq);
        }
    }

    private void runWorker(Worker w) {
        try {
            w.run();
        } catch (Throwable t) {
            fail(t);
        } finally {
            synchronized (monitor) {
                workersRunning--;
                monitor.notifyAll();
            }
        }
    }

    /**
     * Waits until every worker has finished, or, after a stop request, at most the grace period.
     *
     * @return true when the grace period ran out with workers still busy
     */
    private boolean awaitWorkers() throws InterruptedException {
        long grace = config.grace().toNanos();
        synchronized (monitor) {
            while (workersRunning > 0) {
                if (!graceRunning) {
                    monitor.wait();
                } else {
                    long left = grace - (clock.nanoTime() - stopRequestedNanos);
                    if (left <= 0) {
                        return true;
                    }
                    monitor.wait(Math.max(1, left / 1_000_000));
                }
            }
            return false;
        }
    }

    /**
     * Stops the run: no more records are read, queued ones are dropped, in-flight batches finish
     * within the grace period. Idempotent; any thread, such as a signal handler's. A stop at the first
     * failure that is under way becomes this stop.
     */
    public void requestStop() {
        stop(Outcome.Ending.STOPPED);
    }

    private void stop(Outcome.Ending reason) {
        synchronized (monitor) {
            if (graceRunning) {
                return;
            }
            graceRunning = true;
            stopRequestedNanos = clock.nanoTime();
            stopReason = reason;
            monitor.notifyAll();
        }
        stopping = true;
        Intake i = intake;
        if (i != null) {
            i.stop();
        }
        Thread t = intakeThread;
        if (t != null) {
            t.interrupt();
        }
        BlockingBatchQueue<Request> q = queue;
        if (q != null) {
            q.closeAndDrain();
        }
    }

    private void fail(Throwable t) {
        synchronized (monitor) {
            if (internalError == null) {
                internalError = t;
            }
        }
        stop(Outcome.Ending.STOPPED);
    }

    /**
     * Makes one function instance per worker, all at once: loading a model takes a while, and
     * several load in parallel in about the time of one. Each is made on a thread of its own, so
     * that a stop requested meanwhile ends the wait at once, however long a factory takes.
     *
     * @return the instances, or {@code null} when a stop was requested before all were made
     */
    private List<BatchFunction> createFunctions(BatchFunctionFactory factory)
            throws FunctionStartException, InterruptedException {
        int n = config.workers();
        BatchFunction[] made = new BatchFunction[n];
        Throwable[] failed = new Throwable[n];
        int[] left = {n}; // guarded by monitor
        for (int i = 0; i < n; i++) {
            int w = i;
            Thread t = new Thread(() -> {
                try {
                    made[w] = factory.create();
                    if (made[w] == null) {
                        failed[w] = new BatchFunctionException("function '" + factory.name() + "' could not be "
                                + "started: its factory's create() returned null (a bug in the function)", null);
                    }
                } catch (Throwable e) {
                    failed[w] = e;
                } finally {
                    synchronized (monitor) {
                        left[0]--;
                        monitor.notifyAll();
                    }
                }
            }, "batchwise-load-" + (i + 1));
            t.setDaemon(true);
            t.start();
        }
        synchronized (monitor) {
            while (left[0] > 0 && stopReason == null) {
                monitor.wait();
            }
            if (left[0] > 0) {
                return null; // the loaders are abandoned; what they make is not used
            }
        }
        List<BatchFunction> functions = new ArrayList<>(n);
        for (BatchFunction f : made) {
            if (f != null) {
                functions.add(f);
            }
        }
        for (Throwable e : failed) {
            if (e != null) {
                closeAll(functions);
                throw new FunctionStartException(e instanceof BatchFunctionException ? e.getMessage()
                        : "cannot start function '" + factory.name() + "': " + Worker.describe(e), e);
            }
        }
        return functions;
    }

    private static void checkOutputNames(String function, Signature signature) throws FunctionStartException {
        Set<String> reserved = OutputLayout.reservedNames();
        for (String name : signature.outputs()) {
            if (reserved.contains(name)) {
                throw new FunctionStartException("function '" + function + "' has an output named '" + name
                        + "', which output lines use for their own field; the function must rename it", null);
            }
        }
    }

    private static void closeAll(List<BatchFunction> functions) {
        for (BatchFunction f : functions) {
            try {
                f.close();
            } catch (Throwable ignored) {
                // closing at the end of a run: nothing left to report it to that matters
            }
        }
    }
}
