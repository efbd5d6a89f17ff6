package dev.batchwise.terminal;

import dev.batchwise.run.Console;
import dev.batchwise.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The live line on standard error while a run goes (text: {@link ProgressView}): first what loads,
 * then records done, the share of the input read when its size is known, the recent rate, elapsed
 * and time left. Shown only when standard error is a terminal (and standard output is not the same
 * one); redrawn in place four times a second of the run's clock through the {@link TerminalConsole},
 * and erased at the end.
 *
 * <p>Written with batchwise's console rather than a progress-bar library: one that fits (such as
 * me.tongfei:progressbar) draws from its own thread through its own terminal handling (JLine),
 * which cannot share the console's lock with failure lines and messages, and it would add a
 * dependency outside the project's list for some eighty lines of formatting.
 */
final class ProgressLine implements AutoCloseable {

    /** How far back the rate looks: a few seconds, so it follows the run as it is now. */
    static final long RATE_WINDOW_NANOS = 5_000_000_000L;
    /** Between two redraws: four a second. */
    static final long REDRAW_NANOS = 250_000_000L;

    private final TerminalConsole console;
    private final Console.ProgressSource source;
    private final int width;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final RecentRate recordRate = new RecentRate(RATE_WINDOW_NANOS);
    /** Redraws the line every {@link #REDRAW_NANOS} of the clock, at a fixed rate; null when not ticking. */
    private final Thread ticker;

    /**
     * A line that redraws itself on its own thread, every {@link #REDRAW_NANOS} of {@code clock} from
     * now (on the system clock, four times a second; a test's clock redraws it as the test moves it).
     */
    ProgressLine(TerminalConsole console, Console.ProgressSource source, int width, Clock clock) {
        this(console, source, width, clock::nanoTime, clock);
    }

    /** A line redrawn only by {@link #draw()}, read at {@code nanoTime} (tests, on their own time). */
    ProgressLine(TerminalConsole console, Console.ProgressSource source, int width, LongSupplier nanoTime) {
        this(console, source, width, nanoTime, null);
    }

    private ProgressLine(TerminalConsole console, Console.ProgressSource source, int width, LongSupplier nanoTime,
            Clock ticks) {
        this.console = console;
        this.source = source;
        this.width = width;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        if (ticks != null) {
            ticker = new Thread(() -> redraw(ticks), "batchwise-progress");
            ticker.setDaemon(true);
            ticker.start();
        } else {
            ticker = null;
        }
    }

    /** The ticker's loop: draws at start + k x {@link #REDRAW_NANOS}, until interrupted by {@link #close()}. */
    private void redraw(Clock ticks) {
        long next = startNanos;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                next += REDRAW_NANOS;
                ticks.sleepUntil(next);
                draw();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Draws the line as the run stands now. */
    void draw() {
        long now = nanoTime.getAsLong();
        long elapsed = now - startNanos;
        if (!source.ready().getAsBoolean()) {
            console.progressLine(ProgressView.render(ProgressView.Snapshot.loading(source.loading(), elapsed), width));
            return;
        }
        long records = source.records().getAsLong();
        recordRate.add(now, records);
        console.progressLine(ProgressView.render(new ProgressView.Snapshot(null, records, source.failed().getAsLong(),
                source.recordsRead().getAsLong(), source.bytesRead().getAsLong(), source.bytesTotal(),
                recordRate.perSecond(), elapsed), width));
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.interrupt();
            try {
                ticker.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        console.eraseProgress();
    }
}
