package dev.batchwise.pipeline;

import dev.batchwise.arrival.Admissions;
import dev.batchwise.arrival.ArrivalDriver;
import dev.batchwise.batching.Admission;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;
import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Reads records, binds them to the function's inputs, and admits them to the queue when the
 * {@link ArrivalDriver} sends them. A record that cannot be read or bound never enters the queue: it
 * goes to the sink as failed.
 *
 * <p>Runs on one thread. Before admitting record n it waits for n's slot in the sink's reorder
 * window, so memory stays bounded whatever the input size.
 */
final class Intake implements Admissions<InputException> {

    private final RecordStream source;
    private final InputBinding binding;
    private final RecordPreparer preparer;
    private final ArrivalDriver driver;
    private final BlockingBatchQueue<Request> queue;
    private final OrderedSink<Result> sink;
    private final Clock clock;
    /** Told the sequence number of each record that fails here, once it is handed to the sink. */
    private final LongConsumer onFailure;

    private final List<Request> chunk = new ArrayList<>();
    private long[] arrivals = new long[ArrivalDriver.MAX_CHUNK];
    private int[] weights = new int[ArrivalDriver.MAX_CHUNK];
    /** Whether the run is stopping; the pipeline's stop state, read per record. */
    private final BooleanSupplier stopped;
    /** The record read last, until it is sent. */
    private Record current;
    /**
     * The most records the chunk holds before it is admitted: {@link ArrivalDriver#MAX_CHUNK}, or, for
     * large prepared records (pictures), as many as {@link #MAX_CHUNK_PREPARED_BYTES} hold, at least one.
     */
    private final int maxChunk;

    /** The most bytes of prepared records the chunk holds before it is admitted: 8 MiB, 13 pictures of 224 x 224. */
    static final long MAX_CHUNK_PREPARED_BYTES = 8L << 20;

    Intake(RecordStream source, InputBinding binding, RecordPreparer preparer, ArrivalDriver driver,
            BlockingBatchQueue<Request> queue, OrderedSink<Result> sink, Clock clock, BooleanSupplier stopped,
            LongConsumer onFailure) {
        this.stopped = stopped;
        this.source = source;
        this.binding = binding;
        this.preparer = preparer;
        this.driver = driver;
        this.queue = queue;
        this.sink = sink;
        this.clock = clock;
        this.onFailure = onFailure;
        long bytes = preparer == null ? 0 : preparer.preparedBytes();
        this.maxChunk = bytes <= 0 ? ArrivalDriver.MAX_CHUNK
                : (int) Math.max(1, Math.min(ArrivalDriver.MAX_CHUNK, MAX_CHUNK_PREPARED_BYTES / bytes));
    }

    /** Records finished: their closed-loop clients may send again. Any thread. */
    void finished(int records) {
        driver.finished(records);
    }

    /**
     * Once the run is stopping, the intake thread admits what it has read (unless the queue is closed),
     * closes the queue and returns at its next step.
     */
    @Override
    public boolean stopped() {
        return stopped.getAsBoolean();
    }

    /**
     * Reads and admits until the inputs end or {@link #stop()}; closes the queue either way.
     *
     * @throws InputException when an input fails mid-way; every record read before the failure is
     *     admitted first, so that it runs and is written
     */
    void run() throws InputException, InterruptedException {
        try {
            try {
                driver.run(this);
            } catch (InputException e) {
                flush();
                throw e;
            }
            flush();
        } finally {
            queue.close();
        }
    }

    /**
     * Reads the next record; before waiting on an input that has nothing at hand (a quiet pipe),
     * admits the records read so far, so they do not wait for records that may be long in coming.
     */
    @Override
    public boolean read() throws InputException, InterruptedException {
        if (!chunk.isEmpty() && !source.ready()) {
            flush();
        }
        current = source.next();
        return current != null;
    }

    @Override
    public int held() {
        return chunk.size();
    }

    @Override
    public boolean send(long arrivalNanos) throws InterruptedException {
        Record record = current;
        current = null;
        return accept(record, arrivalNanos);
    }

    /**
     * Binds one record and adds it to the chunk, or sends it to the sink as failed.
     *
     * @param arrivalNanos its intended arrival, or {@link Admissions#ON_ADMISSION}
     * @return whether it will go through the queue
     */
    private boolean accept(Record record, long arrivalNanos) throws InterruptedException {
        if (record.seq() >= sink.slotLimit() && !sink.hasSlot(record.seq())) {
            flush();
            sink.awaitSlot(record.seq());
        }
        Object key = binding.key(record);
        Object[] kept = binding.kept(record);
        Failure failure = null;
        Object[] args = null;
        int weight = 1;
        if (record.isBad()) {
            failure = new Failure(Failure.Code.BAD_INPUT, record.problem());
        } else {
            try {
                args = binding.bind(record);
                if (preparer != null) {
                    weight = Math.max(1, preparer.prepare(args));
                }
            } catch (IllegalArgumentException e) {
                failure = new Failure(Failure.Code.BAD_INPUT, e.getMessage());
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError | OutOfMemoryError e) {
                // a record that makes the preparer (a model's tokenizer) throw fails alone, as in a call
                failure = new Failure(Failure.Code.BAD_INPUT, "cannot prepare the record: " + Worker.describe(e));
            }
        }
        if (failure != null) {
            sink.admitted(record.seq());
            sink.complete(List.of(Result.failedBeforeRunning(record, key, failure, kept)));
            onFailure.accept(record.seq());
            return false;
        }
        int i = chunk.size();
        if (i == arrivals.length) {
            arrivals = java.util.Arrays.copyOf(arrivals, i * 2);
            weights = java.util.Arrays.copyOf(weights, i * 2);
        }
        arrivals[i] = arrivalNanos;
        weights[i] = weight;
        chunk.add(new Request(record, key, args, weight, kept));
        if (chunk.size() >= maxChunk && maxChunk < ArrivalDriver.MAX_CHUNK) {
            flush(); // large prepared records: the driver's chunk of MAX_CHUNK would hold too many bytes
        }
        return true;
    }

    /** Admits the chunk, waiting for room as needed; records without an arrival time arrive now. */
    @Override
    public void flush() throws InterruptedException {
        int from = 0;
        while (from < chunk.size()) {
            int room = queue.awaitRoom();
            if (room == 0) {
                chunk.clear();
                return; // closed: the run is being stopped
            }
            int to = Math.min(chunk.size(), from + room);
            long now = clock.nanoTime();
            List<Request> part = new ArrayList<>(to - from);
            long[] partArrivals = new long[to - from];
            int[] partWeights = new int[to - from];
            for (int i = from; i < to; i++) {
                Request r = chunk.get(i);
                if (arrivals[i] == ON_ADMISSION) {
                    arrivals[i] = now;
                }
                r.arrivalNanos = arrivals[i];
                part.add(r);
                partArrivals[i - from] = arrivals[i];
                partWeights[i - from] = weights[i];
            }
            if (queue.offerAll(part, partArrivals, partWeights) == Admission.CLOSED) {
                chunk.clear();
                return;
            }
            sink.admitted(part.get(part.size() - 1).record.seq());
            from = to;
        }
        chunk.clear();
    }
}
