package dev.batchwise.pipeline;

import dev.batchwise.batching.BatchQueue;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.InputException;
import dev.batchwise.source.RecordSource;
import dev.batchwise.stats.RunStats;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * {@link RunConfig#grace()} to finish, and the output keeps the contiguous prefix.
 */
public final class Pipeline {

    /** Told of every record as it is written, in order; for progress and error files. */
    public interface Observer {
        void written(Result result) throws IOException;

        Observer NONE = r -> {};
    }

    /** How often output is flushed at the least while records are being written. */
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final RunConfig config;
    private final Clock clock;
    private final Observer observer;
    private final AtomicLong writtenCount = new AtomicLong();
    private final AtomicLong failedCount = new AtomicLong();

    private final Object monitor = new Object();
    /** Guarded by monitor. */
    private int workersRunning;
    /** Guarded by monitor; 0 until a stop is requested. */
    private long stopRequestedNanos;
    /** Guarded by monitor. */
    private Outcome.Ending stopReason;
    /** Guarded by monitor: the first failure of a pipeline thread, a bug. */
    private Throwable internalError;

    private volatile Intake intake;
    private volatile Thread intakeThread;
    private volatile BlockingBatchQueue<Request> queue;

    public Pipeline(RunConfig config, Clock clock, Observer observer) {
        this.config = config;
        this.clock = clock;
        this.observer = observer;
    }

    /** Records written so far; any thread. */
    public long written() {
        return writtenCount.get();
    }

    /** Failed records written so far; any thread. */
    public long failed() {
        return failedCount.get();
    }

    /**
     * Runs to the end of the inputs, or until stopped.
     *
     * @param warnings receives one-line warnings (an empty input, say)
     * @throws InputException when an input cannot be opened; nothing has run
     * @throws MappingException when the input mapping does not fit the function or the inputs; nothing has run
     * @throws FunctionStartException when the function cannot be made; nothing has run
     * @throws IOException when the output cannot be started
     */
    public Outcome run(InputStream stdin, OutputStream out, Consumer<String> warnings)
            throws InputException, MappingException, FunctionStartException, IOException, InterruptedException {
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
            List<BatchFunction> functions = createFunctions(factory);
            try {
                return run(source, binding, functions, out);
            } finally {
                closeAll(functions);
            }
        }
    }

    private Outcome run(RecordSource source, InputBinding binding, List<BatchFunction> functions, OutputStream out)
            throws IOException, InterruptedException {
        Signature signature = config.function().signature();
        OutputLayout layout = new OutputLayout(signature.outputs(), config.withTiming());
        ResultWriter writer = config.outputFormat().open(out, layout);
        OrderedSink sink = new OrderedSink(writer, this::written, () -> stop(Outcome.Ending.OUTPUT_FAILED),
                config.reorderWindow(), FLUSH_INTERVAL_NANOS);
        queue = new BlockingBatchQueue<>(new BatchQueue<>(config.policy(), config.queueCapacity()), clock);
        RecordPreparer preparer = config.function() instanceof RecordPreparer w ? w : null;
        intake = new Intake(source, binding, preparer, config.arrival(), queue, sink, clock);

        List<Worker> workers = new ArrayList<>();
        for (BatchFunction f : functions) {
            workers.add(new Worker(config.function().name(), signature.inputs().size(), signature.outputs(), f, queue,
                    sink, intake::finished, new StageStats(config.policy().maxBatchSize()), clock));
        }
        long start = clock.nanoTime();
        InputException[] inputFailure = new InputException[1];
        List<Thread> workerThreads = new ArrayList<>();
        synchronized (monitor) {
            workersRunning = workers.size();
        }
        for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            Thread t = new Thread(() -> runWorker(w), "batchwise-worker-" + (i + 1));
            t.setDaemon(true);
            workerThreads.add(t);
            t.start();
        }
        long[] intakeCpuNanos = {0};
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
                intakeCpuNanos[0] = StageStats.threadCpuNanos();
            }
        }, "batchwise-intake");
        in.setDaemon(true);
        intakeThread = in;
        in.start();

        boolean abandoned = awaitWorkers();
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
        List<StageStats> finished = new ArrayList<>();
        for (Worker w : workers) {
            if (w.finished()) {
                finished.add(w.stats());
            }
        }
        long written = writtenCount.get();
        RunStats stats = RunStats.merge(finished, written, failedCount.get(), end - start, workers.size(),
                stopped == Outcome.Ending.STOPPED, stopped == null ? intakeCpuNanos[0] : 0);
        long read = stopped == null ? source.recordsRead() : written;
        if (writeError != null) {
            return new Outcome(Outcome.Ending.OUTPUT_FAILED, stats, read, written,
                    "cannot write the output: " + Worker.describe(writeError));
        }
        if (stopped == Outcome.Ending.STOPPED) {
            return new Outcome(Outcome.Ending.STOPPED, stats, read, written, "stopped after " + written + " records");
        }
        if (inputFailure[0] != null) {
            return new Outcome(Outcome.Ending.INPUT_FAILED, stats, read, written, inputFailure[0].getMessage());
        }
        return new Outcome(Outcome.Ending.COMPLETED, stats, read, written, null);
    }

    private void written(Result r) throws IOException {
        writtenCount.incrementAndGet();
        if (r.failed()) {
            failedCount.incrementAndGet();
        }
        observer.written(r);
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
                if (stopRequestedNanos == 0) {
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
     * within the grace period. Idempotent; any thread.
     */
    public void requestStop() {
        stop(Outcome.Ending.STOPPED);
    }

    private void stop(Outcome.Ending reason) {
        synchronized (monitor) {
            if (stopRequestedNanos != 0) {
                return;
            }
            stopRequestedNanos = clock.nanoTime();
            stopReason = reason;
            monitor.notifyAll();
        }
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

    private List<BatchFunction> createFunctions(BatchFunctionFactory factory) throws FunctionStartException {
        List<BatchFunction> functions = new ArrayList<>(config.workers());
        try {
            for (int i = 0; i < config.workers(); i++) {
                functions.add(factory.create());
            }
        } catch (Exception | LinkageError e) {
            closeAll(functions);
            throw new FunctionStartException("cannot start function '" + factory.name() + "': " + Worker.describe(e), e);
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
            } catch (Exception ignored) {
                // closing at the end of a run: nothing left to report it to that matters
            }
        }
    }
}
