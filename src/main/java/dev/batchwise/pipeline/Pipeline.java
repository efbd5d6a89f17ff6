package dev.batchwise.pipeline;

import dev.batchwise.arrival.ArrivalDriver;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.batching.BatchQueue;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.InputException;
import dev.batchwise.source.LimitedRecords;
import dev.batchwise.source.ReadProgress;
import dev.batchwise.source.RecordSource;
import dev.batchwise.source.RecordStream;
import dev.batchwise.stats.RunStats;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import dev.batchwise.util.Phrase;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One run: records, through the intake, the batch queue and the workers, to the ordered sink. A
 * pipeline is used for one run; the function instances may outlive it (they are its caller's when
 * given to it).
 *
 * <pre>
 * RecordStream -> Intake (when the ArrivalDriver sends) -> BlockingBatchQueue -> Worker x N -> OrderedSink -> Output
 * </pre>
 *
 * The intake runs on its own thread (it may block reading standard input); the workers on theirs; the
 * caller's thread sets up, waits, and tears down, in that order. {@link #requestStop()} may be called
 * from any thread, such as a signal handler: intake stops, records still queued are dropped, in-flight
 * batches get the grace period to finish, and the output keeps the contiguous prefix. Under
 * {@link OnError#STOP} the first failed record stops the reading in the same way, but what was read
 * before it still runs, without a time limit. The stop state is in {@link RunState}, the instances'
 * loading and closing in {@link FunctionInstances}, what reached the output in {@link WrittenRecords}.
 */
public final class Pipeline {

    /**
     * Opens the output once the run is known to start: after the inputs, the mapping, a resume
     * point and the function have been checked, so that a run that fails before it starts leaves an
     * earlier output untouched.
     */
    public interface Output {
        /**
         * @param layout the fields of each output line
         * @return where results go, in order, under the sink's lock; flushed and closed by its owner
         */
        ResultWriter open(OutputLayout layout) throws IOException;
    }

    /** The longest a written line stays in the output buffer: lines are flushed at least this often. */
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final PipelineConfig config;
    private final BatchPolicy policy;
    private final Clock clock;
    private final WrittenRecords written;
    /** Bytes and records read from the inputs, for the progress line. */
    private final ReadProgress readProgress;
    /** The stop state, the running workers and the first internal error, under one lock. */
    private final RunState state;
    /** The functions of workers left in a call; written by the run's thread at its end. */
    private final List<BatchFunction> abandoned = new ArrayList<>();
    /** Wall-clock instant intake started, for start-up stats; written once. */
    private volatile Instant intakeStarted;
    private volatile Intake intake;
    private volatile Thread intakeThread;
    private volatile BlockingBatchQueue<Request> queue;
    /** Written by the run's thread at its end. */
    private volatile Phrase closeAbandoned;
    /** The records an earlier run wrote, which the counts of the output include; set as a run starts. */
    private volatile ResumePoint resumed = ResumePoint.START;

    /** @param observer told of every record as it is written, in order; for progress and failure messages */
    public Pipeline(PipelineConfig config, Clock clock, OrderedSink.Listener<? super Result> observer) {
        this.config = config;
        this.policy = config.policy();
        this.clock = clock;
        this.written = new WrittenRecords(observer);
        this.state = new RunState(clock);
        this.readProgress = new ReadProgress(config.input().inputs().size());
    }

    /**
     * Reads the inputs and runs their records to the end of the inputs, or until stopped.
     *
     * @param warnings receives one-line warnings (an empty input, say)
     * @param resume the records already written by an earlier run: read again and checked, not run
     * @param functions one instance per worker, which stay the caller's (a {@code WorkerPool}'s), or
     *     {@code null} for the run to make its own and close them
     * @param order puts the records read in another order, numbered from 1 in its order
     *     ({@code batchwise bench} draws them at random); only with {@link ResumePoint#START}, since a
     *     resumed run needs the input order
     * @throws InputException when an input cannot be opened; nothing has run
     * @throws dev.batchwise.util.SettingException when the mapping does not fit the function or the
     *     inputs; nothing has run
     * @throws ResumeException when the inputs do not hold the records {@code resume} says are done; nothing has run
     * @throws FunctionStartException when the function cannot be made; nothing has run
     * @throws IOException when the output cannot be opened or started
     */
    public Outcome readAndRun(InputStream stdin, Output out, Consumer<String> warnings, ResumePoint resume,
            List<BatchFunction> functions, UnaryOperator<RecordStream> order)
            throws InputException, ResumeException, FunctionStartException, IOException, InterruptedException {
        InputBinding binding = InputBinding.forRun(config.function(), config.input());
        resumed = resume;
        try (RecordSource source = new RecordSource(config.input().inputs(), config.input().format(),
                config.input().reader(), stdin, warnings, readProgress)) {
            binding.check(source.prepare());
            RecordStream records = order.apply(LimitedRecords.of(source, config.input().limit()));
            if (!resume.skipDone(records, binding::key, state::stopping)) {
                return Outcome.stoppedBeforeRunning("stopped before any record was run", resume);
            }
            boolean own = functions == null;
            List<BatchFunction> instances = own ? FunctionInstances.load(config.function(), config.workers(), state)
                    : functions;
            if (instances == null) {
                return Outcome.stoppedBeforeRunning("stopped while the function was starting", resume);
            }
            OutputLayout layout = new OutputLayout(config.function().signature().outputs(), config.withTiming(),
                    config.input().keep());
            return runAndRelease(records, binding, instances, own, () -> out.open(layout), resume);
        }
    }

    /**
     * Runs records that code hands over, with no files: each result goes to {@code results}, in input
     * order, under the sink's lock. Failures are isolated as in any run: a batch that fails is split
     * and retried down to the records that fail alone.
     *
     * @param functions one instance per worker, which stay the caller's
     */
    public Outcome runHandedOver(RecordStream records, ResultWriter results, List<BatchFunction> functions)
            throws FunctionStartException, IOException, InterruptedException {
        InputBinding binding = InputBinding.forRun(config.function(), config.input());
        return runAndRelease(records, binding, functions, false, () -> results, ResumePoint.START);
    }

    /**
     * Set when the last run gave up on closing its own functions: a {@code close()} that did not return
     * within the grace period; for the user. {@code null} otherwise.
     */
    public Phrase closeAbandoned() {
        return closeAbandoned;
    }

    /** The instances of the last run's workers that were still in a call when it gave up on them. */
    public List<BatchFunction> abandoned() {
        return List.copyOf(abandoned);
    }

    /** Records the output holds so far, a resumed run's records found done included; any thread. */
    public long written() {
        return resumed.recordsDone() + written.written();
    }

    /** Failed records the output holds so far, those a resumed run found done included; any thread. */
    public long failed() {
        return resumed.failedDone() + written.failed();
    }

    /** Records read from the inputs so far (they may not be written yet); any thread. */
    public long recordsRead() {
        return readProgress.recordsRead();
    }

    /** The bytes read from the inputs so far, as they lie on disk (compressed, for gzip). */
    public long bytesRead() {
        return readProgress.bytesRead();
    }

    /** When intake started: the function was loaded and records began to flow; {@code null} before. */
    public Instant intakeStarted() {
        return intakeStarted;
    }

    /** When the first output line was written; {@code null} before. */
    public Instant firstWritten() {
        return written.firstWritten();
    }

    /** Opens the output writer once the run starts. */
    private interface WriterSupplier {
        ResultWriter open() throws IOException;
    }

    /**
     * Runs the records, then notes the functions of workers still busy when it gave up on them in
     * {@link #abandoned()} and, when {@code own}, closes the others.
     */
    private Outcome runAndRelease(RecordStream source, InputBinding binding, List<BatchFunction> functions,
            boolean own, WriterSupplier output, ResumePoint resume) throws IOException, InterruptedException {
        List<PipelineWorker> workers = new ArrayList<>();
        List<Thread> workerThreads = new ArrayList<>();
        try {
            return runThreads(source, binding, functions, output.open(), resume, workers, workerThreads);
        } finally {
            List<BatchFunction> idle = new ArrayList<>();
            for (int i = 0; i < functions.size(); i++) {
                // a worker still in a call owns its function: closing it under the call could crash a native model
                if (i >= workerThreads.size() || workers.get(i).finished()) {
                    idle.add(functions.get(i));
                } else {
                    abandoned.add(functions.get(i));
                }
            }
            if (own) {
                boolean stoppedBefore = state.stopping();
                long graceNanos = config.failures().grace().toNanos();
                if (!FunctionInstances.closeWithin(idle, graceNanos, state, clock)) {
                    closeAbandoned = Phrase.of("function '%s' did not return from close() within %s; it was abandoned",
                            config.function().name(), state.stopping() && !stoppedBefore ? "the stop"
                                    : Phrase.of("%s ({grace})", Durations.format(graceNanos)));
                }
            }
        }
    }

    /** Starts the intake and the workers, waits for them, and tears the run down; returns how it ended. */
    private Outcome runThreads(RecordStream source, InputBinding binding, List<BatchFunction> functions,
            ResultWriter writer, ResumePoint resume, List<PipelineWorker> workers, List<Thread> workerThreads)
            throws IOException, InterruptedException {
        OrderedSink<Result> sink = new OrderedSink<>(writer, written, () -> stop(RunState.Stop.OUTPUT_FAILED),
                config.reorderWindow(), FLUSH_INTERVAL_NANOS, resume.recordsDone() + 1, clock);
        queue = new BlockingBatchQueue<>(new BatchQueue<>(policy, config.queueCapacity()), clock);
        RecordPreparer preparer = config.function() instanceof RecordPreparer p ? p : null;
        intake = new Intake(source, binding, preparer, ArrivalDriver.of(config.arrival(), clock), queue, sink, clock,
                state::stopping, seq -> failedAt(seq, true));
        workers.addAll(PipelineWorkers.of(functions, config, policy, queue, sink, this::finished, clock));
        if (state.workersStarted(workers.size())) {
            // a stop came while the function was starting, before the intake and the queue existed; the
            // intake sees it at its first step
            queue.closeAndDrain();
        }
        long start = clock.nanoTime();
        intakeStarted = Instant.now();
        for (int i = 0; i < workers.size(); i++) {
            PipelineWorker w = workers.get(i);
            workerThreads.add(daemon("batchwise-worker-" + (i + 1), () -> runWorker(w)));
        }
        InputException[] inputFailure = new InputException[1];
        AtomicLong intakeCpuNanos = new AtomicLong(-1);
        state.intakeStarting();
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
                state.intakeEnded();
            }
        }, "batchwise-intake");
        in.setDaemon(true);
        intakeThread = in;
        in.start();
        Thread flusher = Flusher.start(sink, FLUSH_INTERVAL_NANOS, clock);
        boolean abandonedWorkers;
        try {
            abandonedWorkers = state.awaitWorkers(config.failures().grace().toNanos());
        } finally {
            flusher.interrupt();
        }
        if (abandonedWorkers) {
            workerThreads.forEach(Thread::interrupt);
        }
        long end = clock.nanoTime();
        Throwable bug = state.internalError();
        Outcome.Ending stopped = state.stopEnding();
        if (stopped == null) {
            // workers finish only once the queue is closed, which intake does as it ends
            state.awaitIntake();
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
        long writtenCount = written.written();
        RunStats stats = RunStats.merge(stages, writtenCount, written.failed(), end - start, workers.size(),
                stopped == Outcome.Ending.STOPPED, intakeCpu)
                .withCarriedOver(resume.recordsDone(), resume.failedDone()); // the whole output's counts
        long read = stopped == null ? source.recordsRead() - resume.recordsDone() : writtenCount;
        return Outcome.of(stats, read, writtenCount, writeError, stopped, written.firstFailure(), inputFailure[0]);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** A worker handed a batch's results to the sink. */
    private void finished(List<Result> results) {
        intake.finished(results.size());
        if (config.failures().onError() == OnError.STOP) {
            for (Result r : results) {
                if (r.failed()) {
                    failedAt(r.seq(), false);
                }
            }
        }
    }

    /**
     * Record {@code seq} failed. Under {@link OnError#STOP}, stops reading; when the failure was found
     * by a worker, the records still queued after it are dropped, while those before it run, so that
     * the output reaches it.
     *
     * @param atIntake whether the intake found it (a record that cannot be read or bound), on its own
     *     thread: then everything queued is older and runs
     */
    private void failedAt(long seq, boolean atIntake) {
        if (config.failures().onError() != OnError.STOP || !state.stopAtFailure()) {
            return; // for a first failure, the intake sees the stop at its next step
        }
        if (!atIntake) {
            queue.closeAndRemoveIf(r -> r.record.seq() > seq);
        }
    }

    private void runWorker(PipelineWorker w) {
        try {
            w.run();
        } catch (Throwable t) {
            fail(t);
        } finally {
            state.workerEnded();
        }
    }

    /**
     * Stops the run: no more records are read, queued ones are dropped, in-flight batches finish
     * within the grace period. Idempotent; any thread, such as a signal handler's. A stop at the first
     * failure that is under way becomes this stop.
     */
    public void requestStop() {
        stop(RunState.Stop.REQUESTED);
    }

    private void stop(RunState.Stop reason) {
        if (!state.stopWithGrace(reason)) {
            return;
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
        state.failed(t);
        stop(RunState.Stop.REQUESTED);
    }
}
