package dev.batchwise.testing;

import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when told. Threads that wait on it ({@link #sleepUntil}, {@link #awaitUntil})
 * are its sleepers: they wake when {@link #advance} or {@link #set} moves it to or past their
 * deadline (or, for a condition wait, when the condition is signalled). A test waits for the threads
 * it drives to be asleep with {@link #awaitSleepers} before it moves the clock, so nothing depends on
 * real time.
 */
public final class FakeClock implements Clock {

    /** How long a test waits, in real time, for threads to go to sleep before it fails. */
    private static final long GIVE_UP_SECONDS = 30;

    /** One thread waiting for the clock; its lock guards its wake-up. */
    private static final class Sleeper {
        final long deadlineNanos;
        final Lock lock;
        final Condition wake;

        Sleeper(long deadlineNanos, Lock lock, Condition wake) {
            this.deadlineNanos = deadlineNanos;
            this.lock = lock;
            this.wake = wake;
        }
    }

    private final ReentrantLock state = new ReentrantLock();
    /** Signalled when a sleeper comes or goes. */
    private final Condition sleepersChanged = state.newCondition();
    /** Guarded by state. */
    private long now;
    /** Guarded by state. */
    private final List<Sleeper> sleepers = new ArrayList<>();

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
        Sleeper me = new Sleeper(deadlineNanos, lock, condition);
        state.lock();
        try {
            if (now >= deadlineNanos) {
                return;
            }
            // registered while the caller holds lock: advance() signals only after the await below has
            // released it, so the wake-up cannot be missed
            sleepers.add(me);
            sleepersChanged.signalAll();
        } finally {
            state.unlock();
        }
        try {
            condition.await();
        } finally {
            state.lock();
            try {
                sleepers.remove(me);
                sleepersChanged.signalAll();
            } finally {
                state.unlock();
            }
        }
    }

    /** Moves the clock on by {@code nanos} and wakes the sleepers whose deadline it reaches. */
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

    /** Sets the clock to {@code nanos} and wakes the sleepers whose deadline it reaches. */
    public void set(long nanos) {
        List<Sleeper> due = new ArrayList<>();
        state.lock();
        try {
            now = nanos;
            for (Sleeper s : sleepers) {
                if (s.deadlineNanos <= nanos) {
                    due.add(s);
                }
            }
            sleepers.removeAll(due);
            sleepersChanged.signalAll();
        } finally {
            state.unlock();
        }
        for (Sleeper s : due) {
            s.lock.lock();
            try {
                s.wake.signalAll();
            } finally {
                s.lock.unlock();
            }
        }
    }

    /** How many threads wait on this clock now. */
    public int sleepers() {
        state.lock();
        try {
            return sleepers.size();
        } finally {
            state.unlock();
        }
    }

    /** The earliest deadline a thread waits for, or {@code Long.MAX_VALUE} when none waits. */
    public long nextDeadline() {
        state.lock();
        try {
            return sleepers.stream().mapToLong(s -> s.deadlineNanos).min().orElse(Long.MAX_VALUE);
        } finally {
            state.unlock();
        }
    }

    /**
     * Blocks until at least {@code n} threads wait on this clock.
     *
     * @throws AssertionError when they do not within 30 seconds of real time (a hung test)
     */
    public void awaitSleepers(int n) throws InterruptedException {
        awaitSleeper(n, Long.MIN_VALUE);
    }

    /**
     * Blocks until a thread waits on this clock for exactly {@code deadlineNanos}.
     *
     * @throws AssertionError when none does within 30 seconds of real time (a hung test)
     */
    public void awaitSleeperUntil(long deadlineNanos) throws InterruptedException {
        awaitSleeper(1, deadlineNanos);
    }

    private void awaitSleeper(int n, long deadlineNanos) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        state.lockInterruptibly();
        try {
            while (matching(deadlineNanos) < n) {
                long left = giveUp - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " sleepers" + (deadlineNanos == Long.MIN_VALUE ? ""
                            : " until " + deadlineNanos) + " on the clock; there are " + sleepers.size()
                            + ", the earliest until " + nextDeadline());
                }
                sleepersChanged.awaitNanos(left);
            }
        } finally {
            state.unlock();
        }
    }

    /** Guarded by state. */
    private long matching(long deadlineNanos) {
        return deadlineNanos == Long.MIN_VALUE ? sleepers.size()
                : sleepers.stream().filter(s -> s.deadlineNanos == deadlineNanos).count();
    }
}
