package dev.batchwise.batching;

import java.util.ArrayList;
import java.util.List;

/**
 * The queue of a dynamic batcher as a plain state machine: bounded, with arrival times and weights,
 * handing out the batches {@link BatchPlanner} decides on. It neither locks nor reads a clock; the
 * caller passes "now". {@link BlockingBatchQueue} is the thread-safe shell that workers use.
 *
 * @param <T> the item type
 */
public final class BatchQueue<T> {

    /** What {@link #poll} gives: a batch, expired items, or how long to wait before asking again. */
    public sealed interface Poll<T> {
        /** Items in arrival order. */
        record Batch<T>(List<T> items, long[] arrivalNanos) implements Poll<T> {}

        /** Items, oldest first, that waited past the queue timeout and were taken out, not to be run. */
        record Expired<T>(List<T> items, long[] arrivalNanos) implements Poll<T> {}

        record WaitUntil<T>(long deadlineNanos) implements Poll<T> {}

        record WaitForArrival<T>() implements Poll<T> {}

        record Finished<T>() implements Poll<T> {}
    }

    private final BatchPolicy policy;
    private final int capacity;
    private final Object[] items;
    private final long[] arrivals;
    private final int[] weights;
    private int head;
    private int size;
    private boolean closed;

    private final Pending view = new Pending() {
        @Override
        public int size() {
            return size;
        }

        @Override
        public long arrivalNanos(int i) {
            return arrivals[slot(i)];
        }

        @Override
        public int weight(int i) {
            return weights[slot(i)];
        }
    };

    public BatchQueue(BatchPolicy policy, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1");
        }
        this.policy = policy;
        this.capacity = capacity;
        this.items = new Object[capacity];
        this.arrivals = new long[capacity];
        this.weights = new int[capacity];
    }

    public BatchPolicy policy() {
        return policy;
    }

    public int capacity() {
        return capacity;
    }

    public int size() {
        return size;
    }

    public int freeCapacity() {
        return capacity - size;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Admits one item. */
    public Admission offer(T item, long arrivalNanos, int weight) {
        if (closed) {
            return Admission.CLOSED;
        }
        if (size == capacity) {
            return Admission.FULL;
        }
        int s = slot(size);
        items[s] = item;
        arrivals[s] = arrivalNanos;
        weights[s] = weight;
        size++;
        return Admission.ACCEPTED;
    }

    /** Marks the end of arrivals: pending items are still handed out, a partial batch at once. */
    public void close() {
        closed = true;
    }

    /** Closes the queue and removes every pending item, returning them in arrival order. */
    public List<T> closeAndDrain() {
        closed = true;
        List<T> drained = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            drained.add(item(i));
            items[slot(i)] = null;
        }
        head = 0;
        size = 0;
        return drained;
    }

    /**
     * Closes the queue and removes the pending items that {@code drop} matches; the others stay, in
     * their order, to be handed out as usual.
     *
     * @return the removed items, in arrival order
     */
    public List<T> closeAndRemoveIf(java.util.function.Predicate<? super T> drop) {
        closed = true;
        List<T> removed = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int from = slot(i);
            T item = item(i);
            if (drop.test(item)) {
                removed.add(item);
                continue;
            }
            int to = slot(kept++);
            items[to] = items[from];
            arrivals[to] = arrivals[from];
            weights[to] = weights[from];
        }
        for (int i = kept; i < size; i++) {
            items[slot(i)] = null;
        }
        size = kept;
        return removed;
    }

    /**
     * The oldest pending items, at most {@code max}, oldest first, left in the queue: for a worker that
     * decides itself how many to take ({@link #takeFront}), one step at a time.
     */
    public List<T> peek(int max) {
        int n = Math.min(Math.max(0, max), size);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item(i));
        }
        return out;
    }

    /** Removes the oldest {@code n} items, those {@link #peek} returned first. */
    public void takeFront(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("cannot take " + n + " of " + size + " items");
        }
        if (n > 0) {
            take(prefix(n));
        }
    }

    /**
     * Removes and returns the oldest items that have waited past the policy's queue timeout at
     * {@code nowNanos} (as {@link #poll} hands them out); empty when none have, or there is no timeout.
     */
    public List<T> takeExpired(long nowNanos) {
        long timeout = policy.queueTimeoutNanos();
        int expired = 0;
        while (timeout > 0 && expired < size && nowNanos - arrivals[slot(expired)] > timeout) {
            expired++;
        }
        return expired == 0 ? List.of() : take(prefix(expired)).items();
    }

    /**
     * Decides at {@code nowNanos}; when the decision is to send, removes and returns the batch, and
     * when items have expired, removes and returns those (ask again for a batch).
     */
    public Poll<T> poll(long nowNanos) {
        Decision d = BatchPlanner.decide(policy, view, nowNanos, closed);
        if (d instanceof Decision.Send send) {
            return take(send.positions());
        }
        if (d instanceof Decision.Expire e) {
            Poll.Batch<T> prefix = take(prefix(e.count()));
            return new Poll.Expired<>(prefix.items(), prefix.arrivalNanos());
        }
        if (d instanceof Decision.WaitUntil w) {
            return new Poll.WaitUntil<>(w.deadlineNanos());
        }
        return d instanceof Decision.Finished ? new Poll.Finished<>() : new Poll.WaitForArrival<>();
    }

    private Poll.Batch<T> take(int[] positions) {
        int n = positions.length;
        List<T> batch = new ArrayList<>(n);
        long[] batchArrivals = new long[n];
        for (int k = 0; k < n; k++) {
            int s = slot(positions[k]);
            batch.add(item(positions[k]));
            batchArrivals[k] = arrivals[s];
        }
        int last = positions[n - 1];
        if (last == n - 1) {
            for (int i = 0; i < n; i++) {
                items[slot(i)] = null;
            }
        } else {
            // Move the survivors among positions 0..last towards the back, keeping their order.
            int write = last;
            int k = n - 1;
            for (int read = last; read >= 0; read--) {
                if (k >= 0 && positions[k] == read) {
                    k--;
                    continue;
                }
                int from = slot(read);
                int to = slot(write);
                items[to] = items[from];
                arrivals[to] = arrivals[from];
                weights[to] = weights[from];
                write--;
            }
            for (int i = 0; i < n; i++) {
                items[slot(i)] = null;
            }
        }
        head = slot(n);
        size -= n;
        return new Poll.Batch<>(batch, batchArrivals);
    }

    private static int[] prefix(int n) {
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
        }
        return positions;
    }

    @SuppressWarnings("unchecked")
    private T item(int position) {
        return (T) items[slot(position)];
    }

    private int slot(int position) {
        int s = head + position;
        return s >= capacity ? s - capacity : s;
    }
}
