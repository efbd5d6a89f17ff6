package dev.batchwise.cli;

import dev.batchwise.run.ExitCodes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM through {@code sun.misc.Signal}, which, unlike a shutdown hook, lets the run
 * finish its in-flight batches, write its output and stats, and choose its exit code. A second
 * signal halts at once.
 */
final class OsSignals implements Io.Signals {

    static final OsSignals INSTANCE = new OsSignals();

    private OsSignals() {}

    /**
     * Installs the handlers. Where the JVM keeps a signal to itself (run with {@code -Xrs}), that
     * signal keeps its default effect; a signal ignored when the JVM started (a background job of a
     * non-interactive shell ignores SIGINT) stays ignored.
     */
    @Override
    public AutoCloseable install(IntConsumer onStop) {
        AtomicBoolean stopping = new AtomicBoolean();
        Signal interrupt = new Signal("INT");
        Signal terminate = new Signal("TERM");
        SignalHandler previousInt = handle(interrupt, s -> handle(stopping, onStop, ExitCodes.INTERRUPTED));
        SignalHandler previousTerm = handle(terminate, s -> handle(stopping, onStop, ExitCodes.TERMINATED));
        return () -> {
            if (previousInt != null) {
                Signal.handle(interrupt, previousInt);
            }
            if (previousTerm != null) {
                Signal.handle(terminate, previousTerm);
            }
        };
    }

    /** Installs one handler; returns the one it replaced, or {@code null} when the JVM refuses. */
    private static SignalHandler handle(Signal signal, SignalHandler handler) {
        try {
            return Signal.handle(signal, handler);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void handle(AtomicBoolean stopping, IntConsumer onStop, int exitCode) {
        if (!stopping.compareAndSet(false, true)) {
            System.err.println();
            System.err.println("batchwise: stopping now");
            System.err.flush();
            Runtime.getRuntime().halt(exitCode);
        }
        onStop.accept(exitCode);
    }
}
