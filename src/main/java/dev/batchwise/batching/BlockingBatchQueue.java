package dev.batchwise.batching;

import dev.batchwise.time.Clock;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread-safe shell around {@link BatchQueue}: one producer admits items, any number of workers
 * block in {@link #take()} until the planner says send. All state lives in the wrapped queue; this
 * class only adds the lock, the two conditions and the clock, through which every wait and every
 * signal goes.
 *
 * @param <T> the item type
 */
public final class BlockingBatchQueue<T> {

    private final BatchQueue<T> queue;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when items arrive or the queue closes; workers wait on it. */
    private final Condition changed = lock.newCondition();
    /**
     * Signalled when a full queue has room again; the producer waits on it. Not at every batch taken:
     * only once {@link #resumeRoom} slots are free, or when a worker is about to wait with slots free
     * (so the producer tops the queue up rather than let the worker wait), or at close. A producer
     * woken per batch would cost a thread switch every few records at a million records a second.
     */
    private final Condition roomMade = lock.newCondition();
    /** Free slots at which a producer waiting on a full queue is woken: half the capacity. */
    private final int resumeRoom;

    public BlockingBatchQueue(BatchQueue<T> queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
        this.resumeRoom = Math.max(1, queue.capacity() / 2);
    }

    /**
     * A batch as taken by a worker.
     *
     * @param expired true when these items waited past the queue timeout: they are not to be run, but
     *     reported as timed out
     */
    public record Batch<T>(List<T> items, long takenNanos, boolean expired) {}

    /**
     * Returns at once how many items fit, when any do; on a full queue, blocks until half of it is
     * free, or a worker would otherwise wait for items, or the queue closes. 0 when closed.
     */
    public int awaitRoom() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!queue.isClosed() && queue.freeCapacity() == 0) {
                clock.await(lock, roomMade);
            }
            return queue.isClosed() ? 0 : queue.freeCapacity();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Admits all items at once, so that a worker sees all of them or none: items that arrive together
     * (a burst of clients) can form one batch. Never blocks.
     *
     * @return {@link Admission#FULL} (nothing admitted) when they do not all fit
     */
    public Admission offerAll(List<T> items, long[] arrivalNanos, int[] weights) {
        lock.lock();
        try {
            if (queue.isClosed()) {
                return Admission.CLOSED;
            }
            if (queue.freeCapacity() < items.size()) {
                return Admission.FULL;
            }
            for (int i = 0; i < items.size(); i++) {
                queue.offer(items.get(i), arrivalNanos[i], weights[i]);
            }
            clock.signalAll(changed);
            return Admission.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until the planner sends a batch or items expire, and returns them; {@code null} once the
     * queue is closed and empty. A worker waiting for a partial batch to fill wakes when its max delay
     * ends or its oldest item expires, whichever is first.
     */
    public Batch<T> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = clock.nanoTime();
                BatchQueue.Poll<T> poll = queue.poll(now);
                if (poll instanceof BatchQueue.Poll.Batch<T> b) {
                    tookSome();
                    return new Batch<>(b.items(), now, false);
                }
                if (poll instanceof BatchQueue.Poll.Expired<T> e) {
                    tookSome();
                    return new Batch<>(e.items(), now, true);
                }
                if (poll instanceof BatchQueue.Poll.WaitUntil<T> w) {
                    wakeProducer();
                    clock.awaitUntil(lock, changed, w.deadlineNanos());
                } else if (poll instanceof BatchQueue.Poll.WaitForArrival<T>) {
                    wakeProducer();
                    clock.await(lock, changed);
                } else {
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * For a worker that admits records between steps of its own (a stepped function): the items that
     * waited past the queue timeout, taken out (not to be run), and then the oldest pending ones, at
     * most {@code max}, left in the queue. Never blocks.
     */
    public Look<T> look(int max) {
        lock.lock();
        try {
            List<T> expired = queue.takeExpired(clock.nanoTime());
            if (!expired.isEmpty()) {
                tookSome();
            }
            return new Look<>(expired, queue.peek(max));
        } finally {
            lock.unlock();
        }
    }

    /**
     * What {@link #look} saw.
     *
     * @param expired items taken out because they waited past the queue timeout, oldest first
     * @param pending the oldest pending items, still in the queue
     */
    public record Look<T>(List<T> expired, List<T> pending) {}

    /** Takes the oldest {@code n} pending items, the first that {@link #look} returned. Never blocks. */
    public void takeFront(int n) {
        lock.lock();
        try {
            queue.takeFront(n);
            if (n > 0) {
                tookSome();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks, through the clock, until an item is pending; false once the queue is closed and empty.
     * The max delay does not apply: a worker that admits between its own steps takes what is there.
     */
    public boolean awaitItem() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.size() == 0 && !queue.isClosed()) {
                wakeProducer();
                clock.await(lock, changed);
            }
            return queue.size() > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Items left the queue: the producer may have room, and another worker may form a batch. Lock held. */
    private void tookSome() {
        if (queue.freeCapacity() >= resumeRoom) { // a signal no one waits for costs nothing
            clock.signal(roomMade);
        }
        if (queue.size() > 0) {
            clock.signal(changed);
        }
    }

    /** A worker is about to wait for items: a producer waiting for room may add what it holds. Lock held. */
    private void wakeProducer() {
        if (queue.freeCapacity() > 0) {
            clock.signal(roomMade);
        }
    }

    /** No more items will come; workers drain what is pending, then {@link #take()} returns null. */
    public void close() {
        lock.lock();
        try {
            queue.close();
            clock.signalAll(changed);
            clock.signalAll(roomMade);
        } finally {
            lock.unlock();
        }
    }

    /** Closes and removes every pending item (an abandoned run); returns them in arrival order. */
    public List<T> closeAndDrain() {
        lock.lock();
        try {
            List<T> drained = queue.closeAndDrain();
            clock.signalAll(changed);
            clock.signalAll(roomMade);
            return drained;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes and removes the pending items {@code drop} matches; workers still take the others.
     *
     * @return the removed items, in arrival order
     */
    public List<T> closeAndRemoveIf(java.util.function.Predicate<? super T> drop) {
        lock.lock();
        try {
            List<T> removed = queue.closeAndRemoveIf(drop);
            clock.signalAll(changed);
            clock.signalAll(roomMade);
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a producer waits for room and has not been woken yet; for tests. */
    boolean producerWaitsForRoom() {
        lock.lock();
        try {
            return lock.hasWaiters(roomMade);
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

}
