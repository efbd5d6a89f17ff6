package dev.batchwise.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/** Runs a body on a thread of its own, so the test thread stays free to drive held calls and signals. */
public final class Async {

    private Async() {}

    public static <T> CompletableFuture<T> start(Callable<T> body) {
        return start(Thread.currentThread().getThreadGroup(), "test-async", body);
    }

    /** As {@link #start(Callable)}, on a daemon thread of {@code group} named {@code name}. */
    public static <T> CompletableFuture<T> start(ThreadGroup group, String name, Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(group, () -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return result;
    }
}
