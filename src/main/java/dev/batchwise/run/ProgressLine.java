package dev.batchwise.run;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live line on standard error while a run goes: records done, their rate, failures. Shown only
 * when standard error is a terminal; redrawn in place a few times a second, and erased at the end.
 */
final class ProgressLine implements AutoCloseable {

    private final Console console;
    private final LongSupplier done;
    private final LongSupplier failed;
    private final ScheduledExecutorService ticker;
    private final long startNanos = System.nanoTime();

    ProgressLine(Console console, LongSupplier done, LongSupplier failed) {
        this.console = console;
        this.done = done;
        this.failed = failed;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "batchwise-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
    }

    private void draw() {
        long n = done.getAsLong();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long f = failed.getAsLong();
        console.progress(String.format(Locale.ROOT, "%,d records  %,.0f/s  %s", n, n / Math.max(seconds, 1e-9),
                f == 0 ? "" : String.format(Locale.ROOT, "%,d failed", f)));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        console.eraseProgress();
    }
}
