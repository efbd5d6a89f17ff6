package dev.batchwise.time;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * Monotonic time in nanoseconds, injected wherever time is read or waited for, so that tests can use
 * a clock that moves only when told. Every wait of a pipeline thread goes through it, and so does
 * every signal that ends such a wait: a sleep, a wait on a condition with or without a deadline, and
 * the condition's signals. A test clock thus knows at every moment which threads wait, and which have
 * been woken but have not run yet; it never has to guess whether the threads it drives are idle.
 */
public interface Clock {

    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }

        @Override
        public void awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                condition.awaitNanos(left);
            }
        }

        @Override
        public void await(Lock lock, Condition condition) throws InterruptedException {
            condition.await();
        }

        @Override
        public void signal(Condition condition) {
            condition.signal();
        }

        @Override
        public void signalAll(Condition condition) {
            condition.signalAll();
        }
    };

    /** The current time; only differences between two readings mean anything. */
    long nanoTime();

    /** Returns once {@link #nanoTime()} has reached {@code deadlineNanos}. */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /**
     * Waits on {@code condition} until it is signalled or this clock reaches {@code deadlineNanos},
     * whichever is first; returns at once when the deadline has passed. The caller holds
     * {@code lock}, the condition's lock, and, as with any condition wait, checks what it waits for
     * in a loop: the wait may also end early.
     */
    void awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException;

    /**
     * Waits on {@code condition} until it is signalled through {@link #signal} or {@link #signalAll}.
     * The caller holds {@code lock}, the condition's lock, and checks what it waits for in a loop.
     */
    void await(Lock lock, Condition condition) throws InterruptedException;

    /** Wakes one thread waiting on {@code condition}; the caller holds the condition's lock. */
    void signal(Condition condition);

    /** Wakes every thread waiting on {@code condition}; the caller holds the condition's lock. */
    void signalAll(Condition condition);
}
