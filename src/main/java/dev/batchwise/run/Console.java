package dev.batchwise.run;

import dev.batchwise.output.RunOutput;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.Text;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Standard error of a run: every message, the failure lines and any live progress line go through
 * here, under one lock, so lines from the signal handler, the workers (failure lines, under the
 * sink's lock) and a progress ticker never interleave. Quiet mode drops all but what must be said;
 * every message starts with {@code batchwise:}; settings in messages are named as the front end names
 * them. User values in messages (record values, file names, function messages) are escaped
 * ({@link Text#printable}), so none can steer the terminal or forge a line.
 *
 * <p>Plain text, as code running a spec gets it; a front end on a terminal extends it with colour and
 * a progress line (the hooks below).
 */
public class Console implements RunOutput.Notices {

    private static final String PREFIX = "batchwise: ";

    private final PrintWriter err;
    private final boolean quiet;
    private final Phrase.Names names;
    /** Held while writing to {@link #err}. */
    protected final Object lock = new Object();

    /** @param names how the messages name the run's settings */
    public Console(PrintWriter err, boolean quiet, Phrase.Names names) {
        this.err = err;
        this.quiet = quiet;
        this.names = names;
    }

    public boolean quiet() {
        return quiet;
    }

    /** How this console's front end names the run's settings. */
    public Phrase.Names names() {
        return names;
    }

    /** {@code phrase} with the settings named as this console's front end names them. */
    public String text(Phrase phrase) {
        return phrase.render(names);
    }

    /** {@code batchwise: TEXT}, unless quiet. */
    @Override
    public void note(Phrase text) {
        if (!quiet) {
            line(PREFIX + Text.printable(text(text)));
        }
    }

    /** {@code batchwise: warning: TEXT}, unless quiet. */
    @Override
    public void warning(Phrase text) {
        if (!quiet) {
            line(PREFIX + warningStyle("warning:") + " " + Text.printable(text(text)));
        }
    }

    /** A warning with no setting in it. */
    public void warning(String text) {
        warning(Phrase.text(text));
    }

    /** {@code batchwise: TEXT} in the error style, even when quiet: what the user must see. */
    public void error(String text) {
        line(PREFIX + errorStyle(Text.printable(text)));
    }

    /** {@code batchwise: TEXT}, even when quiet. */
    public void always(String text) {
        line(PREFIX + Text.printable(text));
    }

    /** A notice on a line of its own, after whatever was being drawn (the progress line), unless quiet. */
    public void interruption(Phrase text) {
        if (!quiet) {
            synchronized (lock) {
                err.println();
                err.println(PREFIX + Text.printable(text(text)));
                err.flush();
            }
        }
    }

    /** A failed record's line, {@code batchwise: ORIGIN: message}, erasing the progress line first. */
    void failure(String where, String message) {
        synchronized (lock) {
            err.print(beforeLine());
            err.println(where == null ? PREFIX + Text.printable(message)
                    : PREFIX + errorStyle(Text.printable(where)) + " " + Text.printable(message));
            err.flush();
        }
    }

    /** The stats table, its first line in bold, unless quiet. */
    public void table(String table) {
        if (!quiet) {
            int firstLine = table.indexOf('\n');
            print(boldStyle(table.substring(0, firstLine)) + table.substring(firstLine));
        }
    }

    /** Text as it is, unless quiet. */
    public void print(String text) {
        if (!quiet) {
            synchronized (lock) {
                err.print(text);
                err.flush();
            }
        }
    }

    /** What a progress line shows, read from the run; every supplier is called from the line's own thread. */
    public record ProgressSource(String loading, BooleanSupplier ready, LongSupplier records, LongSupplier failed,
            LongSupplier recordsRead, LongSupplier bytesRead, long bytesTotal) {}

    /**
     * Starts showing the run's progress, redrawn on {@code clock}, until the returned handle is
     * closed. Plain text shows none.
     */
    public AutoCloseable progress(ProgressSource source, Clock clock) {
        return () -> {};
    }

    /** Text written before a line, such as what erases a progress line; none in plain text. */
    protected String beforeLine() {
        return "";
    }

    protected String errorStyle(String text) {
        return text;
    }

    protected String warningStyle(String text) {
        return text;
    }

    protected String boldStyle(String text) {
        return text;
    }

    /** Writes {@code text} and flushes, under the lock; for a subclass's progress line. */
    protected void write(String text) {
        synchronized (lock) {
            err.print(text);
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
