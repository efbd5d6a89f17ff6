package dev.batchwise.run;

import java.io.PrintWriter;

/**
 * Standard error of a run: every message, the failure lines and the live progress line go through
 * here, under one lock, so lines from the signal handler, the workers (failure lines, under the
 * sink's lock) and the progress ticker never interleave. Quiet mode drops all but what must be said;
 * every message starts with {@code batchwise:}; colour only as {@link Style} allows.
 */
public final class Console {

    /** Carriage return and erase to the end of the line: removes the progress line. */
    static final String ERASE = "\r\033[K";
    private static final String PREFIX = "batchwise: ";

    private final PrintWriter err;
    private final Style style;
    private final boolean quiet;
    private final Object lock = new Object();

    public Console(PrintWriter err, Style style, boolean quiet) {
        this.err = err;
        this.style = style;
        this.quiet = quiet;
    }

    public Style style() {
        return style;
    }

    public boolean quiet() {
        return quiet;
    }

    /** {@code batchwise: TEXT}, unless quiet. */
    public void note(String text) {
        if (!quiet) {
            line(PREFIX + text);
        }
    }

    /** {@code batchwise: warning: TEXT}, unless quiet. */
    public void warning(String text) {
        if (!quiet) {
            line(PREFIX + style.warning("warning:") + " " + text);
        }
    }

    /** {@code batchwise: TEXT}, even when quiet: what the user must see. */
    public void always(String text) {
        line(PREFIX + text);
    }

    /** A notice on a line of its own, after whatever was being drawn (the progress line), unless quiet. */
    public void interruption(String text) {
        if (!quiet) {
            synchronized (lock) {
                err.println();
                err.println(PREFIX + text);
                err.flush();
            }
        }
    }

    /** A failed record's line, {@code batchwise: ORIGIN: message}, erasing the progress line first. */
    void failure(String where, String message) {
        synchronized (lock) {
            if (style.interactive()) {
                err.print(ERASE);
            }
            err.println(where == null ? PREFIX + message : PREFIX + style.error(where) + " " + message);
            err.flush();
        }
    }

    /** Text as is, unless quiet (the stats table). */
    public void print(String text) {
        if (!quiet) {
            synchronized (lock) {
                err.print(text);
                err.flush();
            }
        }
    }

    /** Redraws the progress line in place. */
    void progress(String text) {
        synchronized (lock) {
            err.print(ERASE + text);
            err.flush();
        }
    }

    /** Erases the progress line. */
    void eraseProgress() {
        synchronized (lock) {
            err.print(ERASE);
            err.flush();
        }
    }

    private void line(String text) {
        synchronized (lock) {
            err.println(text);
            err.flush();
        }
    }
}
