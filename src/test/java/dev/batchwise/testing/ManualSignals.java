package dev.batchwise.testing;

import dev.batchwise.cli.Io;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Stop signals a test sends by hand: {@link #install} keeps the command's handler, the one the OS
 * signal handler would call, and {@link #send} calls it as a SIGINT (130) or SIGTERM (143) would.
 */
public final class ManualSignals implements Io.Signals {

    private final CompletableFuture<IntConsumer> handler = new CompletableFuture<>();

    @Override
    public AutoCloseable install(IntConsumer onStop) {
        handler.complete(onStop);
        return () -> {};
    }

    /** Sends a stop with the exit code a signal implies, once the command has installed its handler. */
    public void send(int exitCode) throws Exception {
        handler.get(30, TimeUnit.SECONDS).accept(exitCode);
    }
}
