package dev.batchwise.pipeline;

import dev.batchwise.result.Result;
import dev.batchwise.result.Failure;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.sink.UnwritableValueException;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Phrase;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes batches from the queue and runs them through its own function instance, until the queue is
 * closed and empty.
 *
 * <p>A call that throws or breaks the batch contract is retried on each half of its batch, down to
 * single records, so that only the records that fail on their own are reported as failed; the
 * others get their outputs. A batch of n records costs at most 2n - 1 calls this way.
 *
 * <p>Anything a call throws fails its records that way, {@link Error}s included (a record that makes
 * the function overflow its stack or run out of memory fails alone), except the errors that say the
 * JVM itself is broken ({@link #endsTheRun}). A value the output format cannot hold fails its record
 * alone, with code {@code unwritable_output}.
 *
 * <p>Records the queue hands out as expired (they waited past the queue timeout) are not run: they
 * are reported as failed with code {@code timeout}.
 */
final class Worker implements PipelineWorker {

    private final String functionName;
    private final int inputCount;
    private final List<String> outputNames;
    private final BatchFunction function;
    private final BlockingBatchQueue<Request> queue;
    private final OrderedSink<Result> sink;
    /** Each output value goes through its {@link OutputFormat#prepare} here, off the sink's lock. */
    private final OutputFormat format;
    private final Completions completions;
    private final StageStats stats;
    private final Clock clock;
    /** The queue timeout, for the message of an expired record; 0 when there is none. */
    private final long queueTimeoutNanos;

    /**
     * Told of each batch's results once they are handed to the sink: for closed-loop clients waiting
     * to send their next record, and for {@code --on-error stop}.
     */
    interface Completions {
        void finished(List<Result> results);
    }

    Worker(String functionName, int inputCount, List<String> outputNames, BatchFunction function,
            BlockingBatchQueue<Request> queue, OrderedSink<Result> sink, OutputFormat format, Completions completions,
            StageStats stats, Clock clock, long queueTimeoutNanos) {
        this.functionName = functionName;
        this.inputCount = inputCount;
        this.outputNames = outputNames;
        this.function = function;
        this.queue = queue;
        this.sink = sink;
        this.format = format;
        this.completions = completions;
        this.stats = stats;
        this.clock = clock;
        this.queueTimeoutNanos = queueTimeoutNanos;
    }

    private volatile boolean finished;

    @Override
    public StageStats stats() {
        return stats;
    }

    /** Whether {@link #run()} has returned, so its stats are final. */
    @Override
    public boolean finished() {
        return finished;
    }

    @Override
    public void run() {
        try {
            BlockingBatchQueue.Batch<Request> batch;
            while ((batch = queue.take()) != null) {
                List<Result> results = new ArrayList<>(batch.items().size());
                if (batch.expired()) {
                    expire(batch, results);
                } else {
                    stats.batch(batch.items().size());
                    run(batch.items(), false, results);
                }
                sink.complete(results);
                completions.finished(results);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stats.recordThreadCpuTime();
            finished = true;
        }
    }

    private void expire(BlockingBatchQueue.Batch<Request> batch, List<Result> results) {
        stats.timedOut(batch.items().size());
        for (Request r : batch.items()) {
            results.add(timedOut(r, batch.takenNanos(), queueTimeoutNanos));
        }
    }

    /** The result of a record taken out of the queue at {@code takenNanos}, past the queue timeout: not run. */
    static Result timedOut(Request r, long takenNanos, long queueTimeoutNanos) {
        Failure f = new Failure(Failure.Code.TIMEOUT, Phrase.of("timed out after %s in queue ({timeout} %s)",
                Durations.format(takenNanos - r.arrivalNanos), Durations.format(queueTimeoutNanos)));
        return Result.failedBeforeRunning(r.record, r.key, f, r.kept);
    }

    /** Runs {@code requests} in one call, or, if that fails, each half on its own. */
    private void run(List<Request> requests, boolean retry, List<Result> results) throws InterruptedException {
        int n = requests.size();
        List<List<Object>> inputs = new ArrayList<>(inputCount);
        for (int p = 0; p < inputCount; p++) {
            List<Object> column = new ArrayList<>(n);
            for (Request r : requests) {
                column.add(r.args[p]);
            }
            inputs.add(column);
        }
        long start = clock.nanoTime();
        Failure failure = null;
        Object[][] values = null; // [record][output], when the call kept the contract
        try {
            List<? extends List<?>> outputs = function.apply(inputs, stats);
            failure = checkContract(outputs, n);
            if (failure == null) {
                // read inside the try: the lists are the function's own and may throw too
                // one row at a time: a two-dimensional `new` with sizes known only at run time is made
                // by the JVM's runtime, not inline, and costs a few per cent of this thread at 1M records/s
                int width = outputNames.size();
                values = new Object[n][];
                for (int i = 0; i < n; i++) {
                    values[i] = new Object[width];
                }
                for (int o = 0; o < width; o++) {
                    List<?> column = outputs.get(o);
                    for (int i = 0; i < n; i++) {
                        values[i][o] = column.get(i);
                    }
                }
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable e) {
            if (endsTheRun(e)) {
                throw (VirtualMachineError) e;
            }
            failure = new Failure(Failure.Code.FUNCTION_ERROR, "function '" + functionName + "' failed: " + describe(e));
            values = null;
        }
        long end = clock.nanoTime();
        long computeNanos = end - start;
        stats.call(computeNanos, retry);
        if (failure != null && n > 1) {
            int half = n / 2;
            run(requests.subList(0, half), true, results);
            run(requests.subList(half, n), true, results);
            return;
        }
        Failure[] unwritable = failure == null ? prepare(values) : null;
        synchronized (stats) { // once per call rather than per record
            for (int i = 0; i < n; i++) {
                Request r = requests.get(i);
                long queueNanos = start - r.arrivalNanos;
                long latencyNanos = end - r.arrivalNanos;
                Failure f = failure != null ? failure : unwritable[i];
                stats.ran(queueNanos, latencyNanos);
                results.add(new Result(r.record.seq(), r.key, r.record.origin(), f == null ? values[i] : null, f,
                        r.record, queueNanos, computeNanos, latencyNanos, n, r.kept));
            }
        }
    }

    /**
     * Puts each value in the form the output format writes without failing; a record with a value it
     * cannot hold fails alone.
     *
     * @return per record, its failure or {@code null}
     */
    private Failure[] prepare(Object[][] values) {
        Failure[] failures = new Failure[values.length];
        for (int i = 0; i < values.length; i++) {
            for (int o = 0; o < outputNames.size(); o++) {
                try {
                    values[i][o] = format.prepare(values[i][o]);
                } catch (UnwritableValueException e) {
                    failures[i] = new Failure(Failure.Code.UNWRITABLE_OUTPUT, "function '" + functionName
                            + "' returned for output '" + outputNames.get(o) + "' " + e.getMessage());
                    break;
                }
            }
        }
        return failures;
    }

    /**
     * Whether a throwable from a call ends the run rather than failing its records: only the JVM's own
     * failures ({@link InternalError}, {@link UnknownError}), after which nothing can be trusted. A
     * {@link StackOverflowError} or {@link OutOfMemoryError} a record caused is over once the call has
     * unwound, and fails that record.
     */
    static boolean endsTheRun(Throwable e) {
        return e instanceof VirtualMachineError && !(e instanceof StackOverflowError) && !(e instanceof OutOfMemoryError);
    }

    private Failure checkContract(List<? extends List<?>> outputs, int n) {
        if (outputs == null) {
            return violation("returned null, expected " + outputCount() + " (one list per output)");
        }
        if (outputs.size() != outputNames.size()) {
            return violation("returned " + outputs.size() + " output " + (outputs.size() == 1 ? "list" : "lists")
                    + ", expected " + outputCount() + " (one list per output)");
        }
        for (int o = 0; o < outputs.size(); o++) {
            List<?> list = outputs.get(o);
            int actual = list == null ? 0 : list.size();
            if (list == null || actual != n) {
                return violation("returned " + (list == null ? "null" : actual + (actual == 1 ? " value" : " values"))
                        + " for output '" + outputNames.get(o) + "', expected " + n
                        + " (one per record in the batch)");
            }
        }
        return null;
    }

    private String outputCount() {
        return outputNames.size() + " (" + String.join(", ", outputNames) + ")";
    }

    private Failure violation(String what) {
        return new Failure(Failure.Code.CONTRACT_VIOLATION, "function '" + functionName + "' " + what);
    }

    /** A function's failure for the user: its own message for a {@link BatchFunctionException}, else with its type. */
    static String describe(Throwable e) {
        return e instanceof BatchFunctionException ? e.getMessage() : Errors.withType(e);
    }
}
