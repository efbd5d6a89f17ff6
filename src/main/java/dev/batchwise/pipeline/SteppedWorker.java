package dev.batchwise.pipeline;

import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.StepLoop;
import dev.batchwise.fn.StepPlanner;
import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.sink.UnwritableValueException;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The worker of a function that runs by steps ({@link SteppedBatchFunction}): one {@link StepLoop} over
 * its instance, admitting records from the queue between steps (iteration-level batching) and handing
 * each record to the ordered sink as soon as it leaves the running set. The max delay does not apply:
 * the planner decides before each step how many waiting records join.
 *
 * <p>Failures are per record: a record that cannot run (its cache would never fit) fails alone; a step
 * that fails fails the records then running, and the loop goes on with the next. Records the queue
 * hands out as expired fail with code {@code timeout}, as with batch workers.
 *
 * <p>Several stepped workers share one queue: between its look at the queue and its take, a worker holds
 * the {@code admission} lock all of them share, so no two admit the same record. The lock is held only
 * while the planner decides (no model call, no wait).
 */
final class SteppedWorker implements PipelineWorker {

    private final String functionName;
    private final List<String> outputNames;
    private final SteppedBatchFunction function;
    private final BlockingBatchQueue<Request> queue;
    private final OrderedSink<Result> sink;
    private final OutputFormat format;
    private final Worker.Completions completions;
    private final StageStats stats;
    private final Clock clock;
    private final long queueTimeoutNanos;
    private final StepPlanner.Budget budget;
    private final ReentrantLock admission;
    private volatile boolean finished;

    /**
     * @param maxRunning the most records in the running set (the max batch size)
     * @param maxPrefillTokens the most prompt tokens, padding counted, one step's prefill takes; 0: no limit
     * @param admission shared by the stepped workers of one queue
     */
    SteppedWorker(String functionName, List<String> outputNames, SteppedBatchFunction function,
            BlockingBatchQueue<Request> queue, OrderedSink<Result> sink, OutputFormat format,
            Worker.Completions completions, StageStats stats, Clock clock, long queueTimeoutNanos, int maxRunning,
            long maxPrefillTokens, ReentrantLock admission) {
        this.functionName = functionName;
        this.outputNames = outputNames;
        this.function = function;
        this.queue = queue;
        this.sink = sink;
        this.format = format;
        this.completions = completions;
        this.stats = stats;
        this.clock = clock;
        this.queueTimeoutNanos = queueTimeoutNanos;
        this.budget = new StepPlanner.Budget(maxRunning, maxPrefillTokens,
                function.stepped().kvCacheBudgetBytes(), function.paddedCache());
        this.admission = admission;
    }

    @Override
    public StageStats stats() {
        return stats;
    }

    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    @SuppressWarnings("unchecked") // the function hands back the keys it was given: here, requests
    public void run() {
        SteppedFunction<Request> stepped = (SteppedFunction<Request>) (SteppedFunction<?>) function.stepped();
        StepLoop<Request> loop = new StepLoop<>(stepped, r -> Arrays.asList(r.args), budget, clock);
        try {
            loop.run(new QueueView(), new ToSink());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (admission.isHeldByCurrentThread()) {
                admission.unlock();
            }
            stats.recordThreadCpuTime();
            finished = true;
        }
    }

    /** The queue as the loop sees it. */
    private final class QueueView implements StepLoop.Waiting<Request> {
        @Override
        public List<Request> peek(int max) {
            admission.lock(); // released by take(), which the loop calls after every peek
            BlockingBatchQueue.Look<Request> look = queue.look(max);
            if (!look.expired().isEmpty()) {
                expire(look.expired());
            }
            return look.pending();
        }

        @Override
        public void take(int n) {
            try {
                queue.takeFront(n);
            } finally {
                admission.unlock();
            }
        }

        @Override
        public boolean awaitRecord() throws InterruptedException {
            return queue.awaitItem();
        }
    }

    private void expire(List<Request> expired) {
        stats.timedOut(expired.size());
        long now = clock.nanoTime();
        List<Result> results = new ArrayList<>(expired.size());
        for (Request r : expired) {
            results.add(Worker.timedOut(r, now, queueTimeoutNanos));
        }
        sink.complete(results);
        completions.finished(results);
    }

    /** Each record that leaves the running set, to the ordered sink. */
    private final class ToSink implements StepLoop.Sink<Request> {
        @Override
        public void stepped(int running, long stepNanos) {
            stats.batch(running);
            stats.call(stepNanos, false);
        }

        @Override
        public void done(SteppedFunction.Completion<Request> c, long admittedNanos, long firstTokenNanos,
                long doneNanos) {
            Request r = c.key();
            Failure failure = c.failed() ? new Failure(Failure.Code.FUNCTION_ERROR, "function '" + functionName
                    + "' failed: " + describe(c.failure())) : null;
            Object[] values = failure == null ? prepare(c.outputs()) : null;
            if (failure == null && values == null) {
                failure = unwritable;
            }
            long queueNanos = admittedNanos - r.arrivalNanos;
            long latencyNanos = doneNanos - r.arrivalNanos;
            stats.ran(queueNanos, latencyNanos);
            long tokens = failure == null ? function.outputTokens(c.outputs()) : 0;
            if (tokens > 0) {
                stats.generated(firstTokenNanos - r.arrivalNanos,
                        tokens > 1 ? (doneNanos - firstTokenNanos) / (tokens - 1) : -1, tokens);
            }
            Result result = new Result(r.record.seq(), r.key, r.record.origin(), values, failure, r.record, queueNanos,
                    doneNanos - admittedNanos, latencyNanos, function.stepped().running().size() + 1, r.kept,
                    tokens > 0 ? firstTokenNanos - r.arrivalNanos : -1);
            sink.complete(List.of(result));
            completions.finished(List.of(result));
        }
    }

    /** Set by {@link #prepare} when it returns null. Worker thread only. */
    private Failure unwritable;

    /** The outputs in the form the output format writes, or {@code null} (and {@link #unwritable}) when one cannot be. */
    private Object[] prepare(List<Object> outputs) {
        if (outputs == null || outputs.size() != outputNames.size()) {
            unwritable = new Failure(Failure.Code.CONTRACT_VIOLATION, "function '" + functionName + "' returned "
                    + (outputs == null ? "no" : outputs.size()) + " outputs for a record, expected "
                    + outputNames.size());
            return null;
        }
        Object[] values = new Object[outputs.size()];
        for (int o = 0; o < values.length; o++) {
            try {
                values[o] = format.prepare(outputs.get(o));
            } catch (UnwritableValueException e) {
                unwritable = new Failure(Failure.Code.UNWRITABLE_OUTPUT, "function '" + functionName
                        + "' returned for output '" + outputNames.get(o) + "' " + e.getMessage());
                return null;
            }
        }
        return values;
    }

    /** A record's failure for the user: the message of a failure about the record itself, else with its type. */
    private static String describe(Exception e) {
        return e instanceof IllegalArgumentException ? e.getMessage() : Worker.describe(e);
    }
}
