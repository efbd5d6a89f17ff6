package dev.batchwise.bench;

import dev.batchwise.testing.FakeClock;
import dev.batchwise.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A clock for running the whole pipeline on virtual time, as a discrete-event simulation: a
 * {@link FakeClock} and a driver thread that moves it. Whenever every pipeline thread
 * ({@code batchwise-...}) is parked (waiting on a condition, a latch or the clock; none runnable,
 * none blocked on a lock), nothing can happen until the clock moves, so the driver moves it to the
 * earliest deadline a thread waits for. Then it waits until the threads it woke have resumed (they
 * wait through this clock, which counts them back in), so it never moves again before they have run.
 * Parking is checked over many consecutive looks, so a thread another has just signalled is seen
 * running. The driver spins (yielding) rather than sleeping; it gives up after 3 minutes of real
 * time, so a hung test fails.
 */
final class VirtualTime implements Clock, AutoCloseable {

    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(3);
    /** Consecutive looks at parked threads before the clock moves. */
    private static final int SETTLE_LOOKS = 200;
    /** And at least this long in real time, for a thread just signalled to be scheduled and seen running. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final FakeClock clock = new FakeClock();
    /** Threads in a wait on this clock whose deadline has been reached but that have not resumed yet. */
    private final AtomicLong waiting = new AtomicLong();
    private final Thread driver;
    private volatile boolean stopped;
    private volatile Throwable failure;

    VirtualTime() {
        this.driver = new Thread(this::drive, "virtual-time");
        driver.setDaemon(true);
        driver.start();
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
        waiting.incrementAndGet();
        try {
            clock.sleepUntil(deadlineNanos);
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public void awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
        waiting.incrementAndGet();
        try {
            clock.awaitUntil(lock, condition, deadlineNanos);
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void drive() {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        try {
            while (!stopped) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("virtual time ran for more than 3 minutes of real time");
                }
                long next = clock.nextDeadline();
                // every thread in a wait on this clock is registered as a sleeper there: none is on its way
                if (next == Long.MAX_VALUE || waiting.get() != clock.sleepers() || !settled()
                        || clock.nextDeadline() != next) {
                    Thread.yield();
                    continue;
                }
                clock.set(Math.max(next, clock.nanoTime()));
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private boolean settled() {
        long until = System.nanoTime() + SETTLE_NANOS;
        for (int i = 0; i < SETTLE_LOOKS || System.nanoTime() - until < 0; i++) {
            if (!parked()) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /** Whether every live batchwise thread is parked. */
    private static boolean parked() {
        Thread[] threads = new Thread[Thread.activeCount() * 2 + 16];
        int n = Thread.currentThread().getThreadGroup().enumerate(threads);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (!t.getName().startsWith("batchwise-") || t.getName().equals("batchwise-flush")) {
                continue;
            }
            Thread.State s = t.getState();
            if (s == Thread.State.RUNNABLE || s == Thread.State.BLOCKED || s == Thread.State.NEW) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        driver.join(TimeUnit.SECONDS.toMillis(10));
        if (failure != null) {
            throw new AssertionError("the virtual-time driver failed", failure);
        }
    }
}
