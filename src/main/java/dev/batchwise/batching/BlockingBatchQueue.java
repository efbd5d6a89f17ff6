package dev.batchwise.batching;

import dev.batchwise.time.Clock;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread-safe shell around {@link BatchQueue}: one producer admits items, any number of workers
 * block in {@link #take()} until the planner says send. All state lives in the wrapped queue; this
 * class only adds the lock, the two conditions and the clock, through which every timed wait goes.
 *
 * @param <T> the item type
 */
public final class BlockingBatchQueue<T> {

    private final BatchQueue<T> queue;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when items arrive or the queue closes; workers wait on it. */
    private final Condition changed = lock.newCondition();
    /** Signalled when items leave; the producer waits on it for room. */
    private final Condition roomMade = lock.newCondition();

    public BlockingBatchQueue(BatchQueue<T> queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * A batch as taken by a worker.
     *
     * @param expired true when these items waited past the queue timeout: they are not to be run, but
     *     reported as timed out
     */
    public record Batch<T>(List<T> items, long takenNanos, boolean expired) {}

    /**
     * Blocks until there is room for at least one item, then returns how many fit; 0 when closed.
     */
    public int awaitRoom() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!queue.isClosed() && queue.freeCapacity() == 0) {
                roomMade.await();
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
            changed.signalAll();
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
                    clock.awaitUntil(lock, changed, w.deadlineNanos());
                } else if (poll instanceof BatchQueue.Poll.WaitForArrival<T>) {
                    changed.await();
                } else {
                    return null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Items left the queue: the producer may have room, and another worker may form a batch. Lock held. */
    private void tookSome() {
        roomMade.signal();
        if (queue.size() > 0) {
            changed.signal();
        }
    }

    /** No more items will come; workers drain what is pending, then {@link #take()} returns null. */
    public void close() {
        lock.lock();
        try {
            queue.close();
            changed.signalAll();
            roomMade.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Closes and removes every pending item (an abandoned run); returns them in arrival order. */
    public List<T> closeAndDrain() {
        lock.lock();
        try {
            List<T> drained = queue.closeAndDrain();
            changed.signalAll();
            roomMade.signalAll();
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
            changed.signalAll();
            roomMade.signalAll();
            return removed;
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
