package dev.batchwise.bench;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.time.Clock;
import java.util.List;

/**
 * One loaded function instance, as a sweep's worker pool holds it: reports each call (batch size,
 * time, tokens) to the current point's meter, and tells when no call is running, so that a point ends
 * only once its calls have returned, and the next does not start on an instance a late call still
 * holds. Closing it closes the instance (the pool does, at the end of its worker count), unless a
 * call never returned from it (then the pool abandons it, never closing it under the call).
 */
class Metered implements BatchFunction {

    private final BatchFunction delegate;
    private final Clock clock;
    /** The meter of the point being run; set between points, while no call runs. */
    volatile PointMeter meter;
    /** Guarded by this: whether a call is running. */
    private boolean busy;

    Metered(BatchFunction delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
        return apply(inputs, CallMetrics.NONE);
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
        enter();
        long[] tokens = new long[2];
        CallMetrics tee = new CallMetrics() {
            @Override
            public void phase(String name, long nanos) {
                metrics.phase(name, nanos);
            }

            @Override
            public void tokens(long real, long padded) {
                tokens[0] += real;
                tokens[1] += padded;
                metrics.tokens(real, padded);
            }

            @Override
            public void truncated(int records) {
                metrics.truncated(records);
            }
        };
        int n = inputs.isEmpty() ? 0 : inputs.get(0).size();
        long start = clock.nanoTime();
        try {
            return delegate.apply(inputs, tee);
        } finally {
            PointMeter m = meter;
            if (m != null) {
                m.call(n, clock.nanoTime() - start, tokens[0], tokens[1]);
            }
            exit();
        }
    }

    /** A call starts on this instance. */
    final synchronized void enter() {
        busy = true;
    }

    /** The call ends. */
    final synchronized void exit() {
        busy = false;
        notifyAll();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    /**
     * Waits until no call runs on this instance, or until {@code deadlineNanos} of real time
     * ({@link System#nanoTime()}); returns whether none runs.
     */
    synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (busy) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
