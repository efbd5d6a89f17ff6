package dev.batchwise.run;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The live line on standard error while a run goes (text: {@link ProgressView}): first what loads,
 * then records done, the share of the input read when its size is known, the recent rate, elapsed
 * and time left. Shown only when standard error is a terminal (and standard output is not the same
 * one); redrawn in place four times a second through the {@link Console}, and erased at the end.
 *
 * <p>Written with batchwise's console rather than a progress-bar library: one that fits (such as
 * me.tongfei:progressbar) draws from its own thread through its own terminal handling (JLine),
 * which cannot share the console's lock with failure lines and messages, and it would add a
 * dependency outside the project's list for some eighty lines of formatting.
 */
final class ProgressLine implements AutoCloseable {

    /** How far back the rate looks: a few seconds, so it follows the run as it is now. */
    static final long RATE_WINDOW_NANOS = 5_000_000_000L;

    /** What the line reads from the run; every supplier is called from the ticker's thread. */
    record Source(String loading, BooleanSupplier ready, LongSupplier records, LongSupplier failed,
            LongSupplier recordsRead, LongSupplier bytesRead, long bytesTotal) {}

    private final Console console;
    private final Source source;
    private final int width;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final RecentRate recordRate = new RecentRate(RATE_WINDOW_NANOS);
    private final ScheduledExecutorService ticker;

    /** A line that redraws itself on its own thread. */
    ProgressLine(Console console, Source source, int width) {
        this(console, source, width, System::nanoTime, true);
    }

    /** @param tick false: redrawn only by {@link #draw()} (tests, on their own time) */
    ProgressLine(Console console, Source source, int width, LongSupplier nanoTime, boolean tick) {
        this.console = console;
        this.source = source;
        this.width = width;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        if (tick) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "batchwise-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** Draws the line as the run stands now. */
    void draw() {
        long now = nanoTime.getAsLong();
        long elapsed = now - startNanos;
        if (!source.ready().getAsBoolean()) {
            console.progress(ProgressView.render(ProgressView.Snapshot.loading(source.loading(), elapsed), width));
            return;
        }
        long records = source.records().getAsLong();
        recordRate.add(now, records);
        console.progress(ProgressView.render(new ProgressView.Snapshot(null, records, source.failed().getAsLong(),
                source.recordsRead().getAsLong(), source.bytesRead().getAsLong(), source.bytesTotal(),
                recordRate.perSecond(), elapsed), width));
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        console.eraseProgress();
    }
}
