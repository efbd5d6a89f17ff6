package dev.batchwise.cli;

import dev.batchwise.time.Clock;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a command talks to besides picocli's writers: standard input, the standard output stream
 * that data goes to, the environment, whether standard error is a terminal, and the stop signals.
 * {@link Main} wires the real ones; tests pass their own.
 *
 * @param stderrIsTerminal whether to show the live progress line
 * @param stdinIsTerminal whether standard input is a terminal (a hint is given when records are read from it)
 * @param stdoutSharesTerminal whether standard output is the terminal standard error is: then no progress
 *     line, which would garble the data lines
 * @param signals installs a handler for stop requests (SIGINT, SIGTERM); returns how to uninstall it
 * @param clock what a run reads and waits on, its progress line's redraws included: {@link Clock#SYSTEM}
 *     but in tests
 */
public record Io(InputStream stdin, OutputStream stdout, Map<String, String> env, boolean stderrIsTerminal,
        Signals signals, boolean stdinIsTerminal, boolean stdoutSharesTerminal, Clock clock) {

    /** On the system clock. */
    public Io(InputStream stdin, OutputStream stdout, Map<String, String> env, boolean stderrIsTerminal,
            Signals signals, boolean stdinIsTerminal, boolean stdoutSharesTerminal) {
        this(stdin, stdout, env, stderrIsTerminal, signals, stdinIsTerminal, stdoutSharesTerminal, Clock.SYSTEM);
    }

    /** Standard input not a terminal, standard output not the terminal standard error is. */
    public Io(InputStream stdin, OutputStream stdout, Map<String, String> env, boolean stderrIsTerminal,
            Signals signals) {
        this(stdin, stdout, env, stderrIsTerminal, signals, false, false);
    }

    /** Where stop requests come from. */
    public interface Signals extends dev.batchwise.run.Signals {
        Signals NONE = onStop -> () -> {};
    }
}
