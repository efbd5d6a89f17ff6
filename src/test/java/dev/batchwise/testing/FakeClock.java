package dev.batchwise.testing;

import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told, and that knows exactly who waits on it. Every wait of the code
 * under test goes through it ({@link #sleepUntil}, {@link #awaitUntil}, {@link #await}), and so does
 * every signal that ends one ({@link #signal}, {@link #signalAll}); so at any moment each waiting
 * thread is either <em>waiting</em> (nothing has woken it) or <em>woken</em>: signalled, or due since
 * {@link #advance} or {@link #set} moved the clock to its deadline, but not yet running again. A
 * woken thread is a pending wake-up until it has left its wait.
 *
 * <p>A test waits for the threads it drives to wait with {@link #awaitSleepers} or
 * {@link #awaitWaiters} before it moves the clock, so nothing depends on real time; a driver of
 * virtual time moves the clock only when {@link #allWaiting} says every thread it drives waits.
 *
 * <p>Locks: the caller of a wait or a signal holds the condition's lock, then this clock's; nothing
 * here takes a condition's lock while holding this clock's.
 */
public final class FakeClock implements Clock {

    /** How long a test waits, in real time, for threads to go to sleep before it fails. */
    private static final long GIVE_UP_SECONDS = 30;
    /** The deadline of a wait that has none. */
    private static final long NONE = Long.MAX_VALUE;

    /** One thread in a wait on this clock. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long deadlineNanos;
        final Lock lock;
        final Condition condition;
        /** Guarded by the clock's state lock: signalled or due, and not yet running again. */
        boolean woken;

        Waiter(long deadlineNanos, Lock lock, Condition condition) {
            this.deadlineNanos = deadlineNanos;
            this.lock = lock;
            this.condition = condition;
        }
    }

    private final ReentrantLock state = new ReentrantLock();
    /** Signalled when a waiter comes, is woken or goes. */
    private final Condition waitersChanged = state.newCondition();
    /** Guarded by state. */
    private long now;
    /** Guarded by state; in the order the threads began to wait. */
    private final List<Waiter> waiters = new ArrayList<>();
    /** Guarded by state: counts every change of {@link #waiters}, for a consistent look from outside. */
    private long changes;

    public FakeClock(long startNanos) {
        this.now = startNanos;
    }

    public FakeClock() {
        this(1_000_000_000L);
    }

    @Override
    public long nanoTime() {
        state.lock();
        try {
            return now;
        } finally {
            state.unlock();
        }
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        ReentrantLock own = new ReentrantLock();
        Condition wake = own.newCondition();
        own.lockInterruptibly();
        try {
            while (nanoTime() < deadlineNanos) {
                awaitUntil(own, wake, deadlineNanos);
            }
        } finally {
            own.unlock();
        }
    }

    @Override
    public void awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
        waitOn(lock, condition, deadlineNanos);
    }

    @Override
    public void await(Lock lock, Condition condition) throws InterruptedException {
        waitOn(lock, condition, NONE);
    }

    private void waitOn(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
        Waiter me = new Waiter(deadlineNanos, lock, condition);
        state.lock();
        try {
            if (now >= deadlineNanos) {
                return;
            }
            // registered while the caller holds lock: a signal, or set(), takes that lock first, so it
            // reaches this thread only once the await below has released it
            waiters.add(me);
            changed();
        } finally {
            state.unlock();
        }
        try {
            condition.await();
        } finally {
            state.lock();
            try {
                waiters.remove(me);
                changed();
            } finally {
                state.unlock();
            }
        }
    }

    @Override
    public void signal(Condition condition) {
        markWoken(condition, false);
        condition.signal();
    }

    @Override
    public void signalAll(Condition condition) {
        markWoken(condition, true);
        condition.signalAll();
    }

    /**
     * Marks the waiters on {@code condition} that a signal wakes: all of them, or its longest waiter
     * (the first to have registered here that is not woken), as a condition's signal wakes.
     */
    private void markWoken(Condition condition, boolean all) {
        state.lock();
        try {
            for (Waiter w : waiters) {
                if (w.condition == condition && !w.woken) {
                    w.woken = true;
                    changed();
                    if (!all) {
                        return;
                    }
                }
            }
        } finally {
            state.unlock();
        }
    }

    /** Guarded by state. */
    private void changed() {
        changes++;
        waitersChanged.signalAll();
    }

    /** Moves the clock on by {@code nanos} and wakes the waiters whose deadline it reaches. */
    public void advance(long nanos) {
        long to;
        state.lock();
        try {
            to = now + nanos;
        } finally {
            state.unlock();
        }
        set(to);
    }

    /** Sets the clock to {@code nanos} and wakes the waiters whose deadline it reaches. */
    public void set(long nanos) {
        Set<Waiter> due = new LinkedHashSet<>();
        state.lock();
        try {
            now = nanos;
            for (Waiter w : waiters) {
                if (w.deadlineNanos <= nanos && !w.woken) {
                    due.add(w);
                }
            }
            changed();
        } finally {
            state.unlock();
        }
        for (Waiter w : due) {
            w.lock.lock();
            try {
                // a condition's signalAll wakes every thread waiting on it: each counts as woken
                markWoken(w.condition, true);
                w.condition.signalAll();
            } finally {
                w.lock.unlock();
            }
        }
    }

    /** How many threads sleep on this clock until a deadline now (woken ones not counted). */
    public int sleepers() {
        state.lock();
        try {
            return (int) waiters.stream().filter(w -> !w.woken && w.deadlineNanos != NONE).count();
        } finally {
            state.unlock();
        }
    }

    /** How many threads wait on this clock now, with a deadline or without (woken ones not counted). */
    public int waiters() {
        state.lock();
        try {
            return (int) waiters.stream().filter(w -> !w.woken).count();
        } finally {
            state.unlock();
        }
    }

    /** How many threads have been woken (signalled, or due) and have not left their wait yet. */
    public int pendingWakeUps() {
        state.lock();
        try {
            return (int) waiters.stream().filter(w -> w.woken).count();
        } finally {
            state.unlock();
        }
    }

    /** The earliest deadline a waiting thread waits for, or {@code Long.MAX_VALUE} when none does. */
    public long nextDeadline() {
        state.lock();
        try {
            return earliest();
        } finally {
            state.unlock();
        }
    }

    /** Guarded by state. */
    private long earliest() {
        return waiters.stream().filter(w -> !w.woken).mapToLong(w -> w.deadlineNanos).min().orElse(NONE);
    }

    /** A count that changes whenever a thread begins or leaves a wait, or is woken. */
    public long changes() {
        state.lock();
        try {
            return changes;
        } finally {
            state.unlock();
        }
    }

    /**
     * Whether every one of {@code threads} waits on this clock, none has been woken without running
     * yet, and nothing changed since {@link #changes()} returned {@code since}: then none of them can
     * run before the clock moves.
     */
    public boolean allWaiting(Collection<Thread> threads, long since) {
        state.lock();
        try {
            if (changes != since || waiters.stream().anyMatch(w -> w.woken)) {
                return false;
            }
            Set<Thread> waiting = new LinkedHashSet<>();
            waiters.forEach(w -> waiting.add(w.thread));
            return waiting.containsAll(threads);
        } finally {
            state.unlock();
        }
    }

    /**
     * Blocks until at least {@code n} threads sleep on this clock until a deadline.
     *
     * @throws AssertionError when they do not within 30 seconds of real time (a hung test)
     */
    public void awaitSleepers(int n) throws InterruptedException {
        awaitUntilTrue(() -> sleepers() >= n, () -> "expected " + n + " sleepers on the clock");
    }

    /**
     * Blocks until at least {@code n} threads wait on this clock, with a deadline or without.
     *
     * @throws AssertionError when they do not within 30 seconds of real time (a hung test)
     */
    public void awaitWaiters(int n) throws InterruptedException {
        awaitUntilTrue(() -> waiters() >= n, () -> "expected " + n + " waiters on the clock");
    }

    /**
     * Blocks until a thread sleeps on this clock until exactly {@code deadlineNanos}.
     *
     * @throws AssertionError when none does within 30 seconds of real time (a hung test)
     */
    public void awaitSleeperUntil(long deadlineNanos) throws InterruptedException {
        awaitSleeperUntil(deadlineNanos, "");
    }

    /**
     * Blocks until a thread whose name starts with {@code threadName} sleeps on this clock until
     * exactly {@code deadlineNanos}: where other threads may sleep until the same time (a run's
     * flusher ticks every half second), the one the test drives.
     *
     * @throws AssertionError when none does within 30 seconds of real time (a hung test)
     */
    public void awaitSleeperUntil(long deadlineNanos, String threadName) throws InterruptedException {
        awaitUntilTrue(() -> waiters.stream().anyMatch(w -> !w.woken && w.deadlineNanos == deadlineNanos
                && w.thread.getName().startsWith(threadName)),
                () -> "expected a sleeper until " + deadlineNanos + " on the clock");
    }

    private void awaitUntilTrue(java.util.function.BooleanSupplier holds, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        state.lockInterruptibly();
        try {
            while (!holds.getAsBoolean()) {
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(what.get() + "; " + waiters.size() + " wait, the earliest until "
                            + earliest() + ", " + waiters.stream().filter(w -> w.woken).count() + " woken");
                }
                waitersChanged.awaitNanos(left);
            }
        } finally {
            state.unlock();
        }
    }
}
