package dev.batchwise.terminal;

import java.util.ArrayDeque;

/**
 * A count's rate over the last few seconds, not since the start: a run that slows down, or that
 * spent its first seconds loading a model, shows what it does now. Fed samples of a growing count
 * (records done, bytes read) with their time; one thread (the progress ticker) feeds and reads it.
 */
final class RecentRate {

    private record Sample(long nanos, long count) {}

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** @param windowNanos how far back the rate looks */
    RecentRate(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Records {@code count} at {@code nanos}; samples older than the window (but the newest such) go. */
    void add(long nanos, long count) {
        samples.addLast(new Sample(nanos, count));
        while (samples.size() > 2 && nanos - secondOldest().nanos >= windowNanos) {
            samples.removeFirst();
        }
    }

    private Sample secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }

    /** Per second over the window, or NaN until two samples at least 1 ms apart are in. */
    double perSecond() {
        if (samples.size() < 2) {
            return Double.NaN;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long nanos = last.nanos - first.nanos;
        return nanos < 1_000_000 ? Double.NaN : (last.count - first.count) * 1e9 / nanos;
    }
}
