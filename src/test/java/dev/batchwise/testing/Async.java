package dev.batchwise.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Runs a body on a thread of its own, so the test thread stays free to drive held calls and signals. */
public final class Async {

    private Async() {}

    public static <T> CompletableFuture<T> start(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-async");
        t.setDaemon(true);
        t.start();
        return result;
    }
}
