package dev.batchwise.bench;

import dev.batchwise.testing.FakeClock;
import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A clock for running the whole pipeline on virtual time, as a discrete-event simulation: a
 * {@link FakeClock} and a driver thread that moves it. Every wait and signal of a pipeline thread
 * ({@code batchwise-...}) goes through the clock, so the clock knows which of them wait and which
 * have been woken without having run yet. When every live pipeline thread waits on the clock and no
 * wake-up is pending, nothing can happen until the clock moves: the driver moves it to the earliest
 * deadline a thread waits for. A thread that runs, is blocked on a lock, or has just started is not
 * waiting on the clock, so the driver leaves the clock where it is; nothing is inferred from thread
 * states or real time. The driver gives up after 3 minutes of real time, so a hung test fails.
 *
 * <p>The simulated code runs through {@link #run}, on a thread of a thread group of its own: the
 * pipeline threads it starts are in that group, so threads other tests left behind never count.
 */
final class VirtualTime implements Clock, AutoCloseable {

    private static final long GIVE_UP_NANOS = TimeUnit.MINUTES.toNanos(3);

    private final FakeClock clock = new FakeClock();
    private final ThreadGroup group = new ThreadGroup("virtual-time");
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
        clock.sleepUntil(deadlineNanos);
    }

    @Override
    public void awaitUntil(Lock lock, Condition condition, long deadlineNanos) throws InterruptedException {
        clock.awaitUntil(lock, condition, deadlineNanos);
    }

    @Override
    public void await(Lock lock, Condition condition) throws InterruptedException {
        clock.await(lock, condition);
    }

    @Override
    public void signal(Condition condition) {
        clock.signal(condition);
    }

    @Override
    public void signalAll(Condition condition) {
        clock.signalAll(condition);
    }

    private void drive() {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        try {
            while (!stopped) {
                if (System.nanoTime() > giveUp) {
                    throw new AssertionError("virtual time ran for more than 3 minutes of real time");
                }
                long since = clock.changes();
                List<Thread> live = pipelineThreads();
                long next = clock.nextDeadline();
                if (!live.isEmpty() && next != Long.MAX_VALUE && clock.allWaiting(live, since)) {
                    clock.set(Math.max(next, clock.nanoTime()));
                } else {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /**
     * Runs {@code body} on virtual time: on a thread of this clock's thread group (not a pipeline
     * thread itself), waiting in real time for it to end.
     */
    <T> T run(java.util.concurrent.Callable<T> body) throws Exception {
        java.util.concurrent.CompletableFuture<T> result = dev.batchwise.testing.Async.start(group, "virtual-time-body",
                body);
        try {
            return result.get(GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** The live pipeline threads of the simulated code. */
    private List<Thread> pipelineThreads() {
        Thread[] threads = new Thread[group.activeCount() * 2 + 16];
        int n = group.enumerate(threads, true);
        List<Thread> live = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (threads[i].getName().startsWith("batchwise-") && threads[i].isAlive()) {
                live.add(threads[i]);
            }
        }
        return live;
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
