package dev.batchwise.testing;

import dev.batchwise.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told. {@link #sleepUntil} moves it to the deadline at once, so an
 * open-loop schedule runs without waiting and its arrival times are exact.
 */
public final class FakeClock implements Clock {

    private final AtomicLong now;

    public FakeClock(long startNanos) {
        this.now = new AtomicLong(startNanos);
    }

    public FakeClock() {
        this(1_000_000_000L);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepUntil(long deadlineNanos) {
        now.accumulateAndGet(deadlineNanos, Math::max);
    }

    public void advance(long nanos) {
        now.addAndGet(nanos);
    }

    public void set(long nanos) {
        now.set(nanos);
    }
}
