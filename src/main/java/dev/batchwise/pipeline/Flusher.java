package dev.batchwise.pipeline;

import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.time.Clock;

/**
 * A thread that flushes the lines a sink wrote more than its flush interval ago, every half interval
 * of the clock, so that they reach the reader while a slow batch holds the next one back, and at an
 * exit no run chose ({@link AbruptExit}) while it runs. It sleeps
 * on the clock like every other wait of a run, and ends when interrupted.
 */
final class Flusher {

    private Flusher() {}

    static Thread start(OrderedSink<Result> sink, long intervalNanos, Clock clock) {
        // from now until the thread ends, an exit no run chose flushes the sink too
        AbruptExit.Registration kept = AbruptExit.flushing(() -> sink.flushBeforeHalt(AbruptExit.FLUSH_TIMEOUT_MILLIS));
        Thread t = new Thread(() -> {
            long tick = intervalNanos / 2;
            long next = clock.nanoTime();
            try {
                while (true) {
                    next += tick;
                    clock.sleepUntil(next);
                    sink.flushIfStale();
                }
            } catch (InterruptedException e) {
                // the run is over
            } finally {
                kept.close();
            }
        }, "batchwise-flush");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
