package dev.batchwise.bench;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.time.Clock;
import java.util.List;

/**
 * One loaded function instance, lent to one worker per point: reports each call (batch size, time,
 * tokens) to the current point's meter, and tells when no call is running, so that a point ends only
 * once its calls have returned, and the next does not start on an instance a late call still holds.
 * Closing the lent view does not close the instance: the owner closes {@link #delegate} at the end of
 * its worker count, unless a call never returned from it (then it is abandoned, never closed under the call).
 */
final class Metered {

    final BatchFunction delegate;
    private final Clock clock;
    /** The meter of the point being run; set between points, while no call runs. */
    volatile PointMeter meter;
    /** Guarded by this: whether a call is running. */
    private boolean busy;

    Metered(BatchFunction delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    /** The view a worker owns for one run. */
    BatchFunction lent() {
        return new BatchFunction() {
            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
                return apply(inputs, CallMetrics.NONE);
            }

            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
                return call(inputs, metrics);
            }

            @Override
            public void close() {
                // lent: the instance outlives this run
            }
        };
    }

    private List<? extends List<?>> call(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
        synchronized (this) {
            busy = true;
        }
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
            synchronized (this) {
                busy = false;
                notifyAll();
            }
        }
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
