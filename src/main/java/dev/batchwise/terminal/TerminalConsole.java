package dev.batchwise.terminal;

import dev.batchwise.run.Console;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Phrase;
import java.io.PrintWriter;
import java.util.Map;

/**
 * A run's standard error on a terminal: the plain console, with colour and a live progress line
 * where {@link Style} allows them (standard error a terminal, {@code NO_COLOR} unset, {@code TERM} not
 * dumb), none otherwise.
 */
public final class TerminalConsole extends Console {

    /** Carriage return and erase to the end of the line: removes the progress line. */
    static final String ERASE = "\r\033[K";

    private final Style style;
    /** The terminal's width, for the progress line. */
    private final int width;
    /** Whether a progress line may be drawn: not when standard output goes to the same terminal. */
    private final boolean progressAllowed;

    /**
     * @param env the environment: the width of the terminal ({@code COLUMNS})
     * @param names how the messages name the run's settings
     * @param progressAllowed false when the output lines go to the terminal standard error is (the
     *     progress line would be drawn among them)
     */
    public TerminalConsole(PrintWriter err, Style style, boolean quiet, Map<String, String> env, Phrase.Names names,
            boolean progressAllowed) {
        super(err, quiet, names);
        this.style = style;
        this.width = terminalWidth(env);
        this.progressAllowed = progressAllowed;
    }

    /** A progress line, where the terminal takes one and the run is not quiet; else nothing. */
    @Override
    public AutoCloseable progress(ProgressSource source, Clock clock) {
        if (!style.interactive() || quiet() || !progressAllowed) {
            return super.progress(source, clock);
        }
        return new ProgressLine(this, source, width, clock);
    }

    @Override
    protected String beforeLine() {
        return style.interactive() ? ERASE : "";
    }

    @Override
    protected String errorStyle(String text) {
        return style.error(text);
    }

    @Override
    protected String warningStyle(String text) {
        return style.warning(text);
    }

    @Override
    protected String boldStyle(String text) {
        return style.bold(text);
    }

    /** Redraws the progress line in place. */
    void progressLine(String text) {
        write(ERASE + text);
    }

    /** Erases the progress line. */
    void eraseProgress() {
        write(ERASE);
    }

    /** The terminal's width as the shell exports it in COLUMNS, else 80. */
    static int terminalWidth(Map<String, String> env) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
            return columns >= 20 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
