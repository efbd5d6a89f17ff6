package dev.batchwise.spark;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.run.Batchwise;
import dev.batchwise.run.WorkerPool;
import dev.batchwise.stats.RunStats;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link BatchCore} on the run layer's {@link Batchwise#map}: the command line's own queue, batcher,
 * worker and split-and-retry, with one worker whose instance comes from the shared factory.
 *
 * <p>Threads: {@code map} pushes results and reads its records on threads of its own, while Spark
 * pulls outcomes on the task's thread, which alone reads the task's input. So the task thread hands
 * records to {@code map} through {@code in} and takes results from {@code out}, both bounded; it
 * hands over records without ever blocking on {@code in}, and blocks on {@code out} only while
 * {@code map} holds records whose results will come without more input (burst arrival, no max
 * delay), so neither side can wait on the other for ever.
 */
final class RunLayerBatchCore implements BatchCore {

    /** How long {@link MappedRun#close()} waits for {@code map} to wind down after an early end. */
    private static final long WIND_DOWN_SECONDS = 30;

    @Override
    public <T> Run<T> run(BatchFunctionFactory factory, BatchingSpec batching, Iterator<Item<T>> items, Totals totals)
            throws Exception {
        WorkerPool pool = WorkerPool.load(factory, 1);
        int window = batching.policy(factory instanceof RecordPreparer, new ArrivalSpec.Burst()).lookahead();
        return new MappedRun<>(pool, batching, window, items, totals);
    }

    /** The end of the records, in {@code in}. */
    private static final Object END = new Object();

    /** What {@code map} ended with, in {@code out}: its outcome, or what it threw. */
    private record Ended(dev.batchwise.pipeline.Outcome outcome, Throwable thrown) {}

    /** One record in input order: failed before running, or waiting for (then holding) its result. */
    private static final class Entry<T> {
        final T payload;
        Object[] outputs;
        Failure failure;
        boolean resolved;

        Entry(T payload, Failure failure) {
            this.payload = payload;
            this.failure = failure;
            this.resolved = failure != null;
        }
    }

    private static final class MappedRun<T> implements Run<T> {
        private final WorkerPool pool;
        private final Iterator<Item<T>> items;
        private final Totals totals;
        private final int window;
        private final BlockingQueue<Object> in;
        private final BlockingQueue<Object> out;
        /** Every record read and not yet emitted, in input order. Task thread only. */
        private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
        /** The records handed to {@code map} whose results have not come, in order. Task thread only. */
        private final ArrayDeque<Entry<T>> awaiting = new ArrayDeque<>();
        private final Thread mapper;
        private Item<T> unsent;
        private boolean endSent;
        private Ended ended;
        private long records;
        private long failed;
        private volatile boolean closed;

        MappedRun(WorkerPool pool, BatchingSpec batching, int window, Iterator<Item<T>> items, Totals totals) {
            this.pool = pool;
            this.items = items;
            this.totals = totals;
            this.window = window;
            this.in = new ArrayBlockingQueue<>(window + 1);
            this.out = new ArrayBlockingQueue<>(window);
            this.mapper = new Thread(() -> map(batching), "batchwise-partition");
            mapper.setDaemon(true);
            mapper.start();
        }

        /** On the mapper thread. */
        private void map(BatchingSpec batching) {
            Ended result;
            try {
                result = new Ended(Batchwise.map(pool, batching, new Records(), r -> {
                    if (!closed) {
                        put(r);
                    }
                }), null);
            } catch (Throwable t) {
                result = new Ended(null, t);
            }
            if (!closed) {
                put(result);
            }
        }

        private void put(Object o) {
            try {
                out.put(o);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted handing a result over", e);
            }
        }

        /** The records for {@code map}, taken from {@code in} on its reading thread. */
        private final class Records implements Iterator<Map<String, ?>> {
            private Object next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = in.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        next = END;
                    }
                }
                return next != END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map<String, ?> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object n = next;
                next = null;
                return (Map<String, ?>) n;
            }
        }

        @Override
        public boolean hasNext() {
            while (entries.isEmpty() || !entries.peekFirst().resolved) {
                feed();
                if (entries.isEmpty() && ended != null) {
                    return false;
                }
                if (entries.isEmpty() || !entries.peekFirst().resolved) {
                    take();
                }
            }
            return true;
        }

        @Override
        public Outcome<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry<T> e = entries.removeFirst();
            records++;
            if (e.failure != null) {
                failed++;
            }
            return new Outcome<>(e.payload, e.failure == null ? e.outputs : null, e.failure);
        }

        /** Reads records and hands them to {@code map} while it takes them without waiting. */
        private void feed() {
            while (!endSent && entries.size() < 4 * window) {
                if (unsent == null) {
                    if (!items.hasNext()) {
                        endSent = in.offer(END);
                        return;
                    }
                    unsent = items.next();
                }
                if (unsent.failure() != null) {
                    entries.addLast(new Entry<>(unsent.payload(), unsent.failure()));
                } else if (in.offer(unsent.fields())) {
                    Entry<T> e = new Entry<>(unsent.payload(), null);
                    entries.addLast(e);
                    awaiting.addLast(e);
                } else {
                    return;
                }
                unsent = null;
            }
        }

        /** Waits for {@code map}'s next result, or its end. */
        private void take() {
            if (ended != null) {
                throw new IllegalStateException("the run ended with " + awaiting.size() + " records without results");
            }
            Object o;
            try {
                o = out.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for results", e);
            }
            if (o instanceof Result r) {
                Entry<T> e = awaiting.removeFirst();
                e.outputs = r.outputs();
                e.failure = r.failure();
                e.resolved = true;
            } else {
                ended = (Ended) o;
                if (ended.thrown() != null) {
                    throw new IllegalStateException("the batch function's run failed: " + ended.thrown().getMessage(),
                            ended.thrown());
                }
                report(ended.outcome().stats());
            }
        }

        private void report(RunStats s) {
            totals.add(new Summary(records + entries.size(),
                    failed + entries.stream().filter(e -> e.failure != null).count(), s));
        }

        /** Ends the run, early or not: {@code map} is let finish on what it has, and its instance closed. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            out.clear(); // frees a worker waiting to hand a result over; later ones are dropped
            in.clear();
            in.offer(END);
            try {
                mapper.join(TimeUnit.SECONDS.toMillis(WIND_DOWN_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.clear();
            if (!mapper.isAlive()) {
                pool.close();
            } // else a call is still running on the instance: it is left to the JVM rather than closed under it
        }
    }
}
