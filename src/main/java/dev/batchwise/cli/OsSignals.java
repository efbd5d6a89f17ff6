package dev.batchwise.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * SIGINT and SIGTERM through {@code sun.misc.Signal}, which, unlike a shutdown hook, lets the run
 * finish its in-flight batches, write its output and stats, and choose its exit code. A second
 * signal halts at once.
 */
final class OsSignals implements Io.Signals {

    static final OsSignals INSTANCE = new OsSignals();

    private OsSignals() {}

    @Override
    public AutoCloseable install(IntConsumer onStop) {
        AtomicBoolean stopping = new AtomicBoolean();
        Signal interrupt = new Signal("INT");
        Signal terminate = new Signal("TERM");
        var previousInt = Signal.handle(interrupt, s -> handle(stopping, onStop, ExitCodes.INTERRUPTED));
        var previousTerm = Signal.handle(terminate, s -> handle(stopping, onStop, ExitCodes.TERMINATED));
        return () -> {
            Signal.handle(interrupt, previousInt);
            Signal.handle(terminate, previousTerm);
        };
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
