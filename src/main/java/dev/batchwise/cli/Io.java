package dev.batchwise.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a command talks to besides picocli's writers: standard input, the standard output stream
 * that data goes to, the environment, whether standard error is a terminal, and the stop signals.
 * {@link Main} wires the real ones; tests pass their own.
 *
 * @param stderrIsTerminal whether to show the live progress line
 * @param signals installs a handler for stop requests (SIGINT, SIGTERM); returns how to uninstall it
 */
public record Io(InputStream stdin, OutputStream stdout, Map<String, String> env, boolean stderrIsTerminal,
        Signals signals) {

    /** Where stop requests come from. */
    public interface Signals extends dev.batchwise.run.Signals {
        Signals NONE = onStop -> () -> {};
    }
}
