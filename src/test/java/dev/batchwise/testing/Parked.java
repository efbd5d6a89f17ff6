package dev.batchwise.testing;

import java.util.concurrent.TimeUnit;

/**
 * Waits until a thread is blocked (waiting on a lock's condition or a monitor), so that a test can
 * assert that something has not happened yet without sleeping: the thread is provably parked on its
 * wait, and only a signal from the test releases it.
 */
public final class Parked {

    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private Parked() {}

    /** Starts {@code body} on a daemon thread of its own. */
    public static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Returns once {@code t} is parked in an untimed or timed wait.
     *
     * @throws AssertionError when it is not within 30 seconds of real time, or has ended
     */
    public static void await(Thread t) {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        while (true) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                return;
            }
            if (s == Thread.State.TERMINATED) {
                throw new AssertionError(t.getName() + " ended instead of waiting");
            }
            if (System.nanoTime() > giveUp) {
                throw new AssertionError(t.getName() + " did not wait within 30 s; it is " + s);
            }
            Thread.onSpinWait();
        }
    }

    /** Joins {@code t}, failing when it has not ended within 30 seconds of real time. */
    public static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.NANOSECONDS.toMillis(GIVE_UP_NANOS));
        if (t.isAlive()) {
            throw new AssertionError(t.getName() + " is still blocked after 30 s");
        }
    }
}
