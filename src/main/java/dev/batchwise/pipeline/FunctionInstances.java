package dev.batchwise.pipeline;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Making and closing the function instances of a run's workers. */
public final class FunctionInstances {

    private FunctionInstances() {}

    /**
     * Makes {@code n} instances, all at once: loading a model takes a while, and several load in
     * parallel in about the time of one. The caller owns them.
     *
     * @throws FunctionStartException when any cannot be made; those made are closed
     */
    public static List<BatchFunction> load(BatchFunctionFactory factory, int n)
            throws FunctionStartException, InterruptedException {
        return load(factory, n, () -> false);
    }

    /**
     * As {@link #load(BatchFunctionFactory, int)}, each instance made on a thread of its own, so that
     * a stop ends the wait at once however long a factory takes (the loaders are then abandoned).
     *
     * @param stopped polled while waiting
     * @return the instances, or {@code null} when {@code stopped} said so before all were made
     * @throws FunctionStartException when any cannot be made, or a factory made null; those made are closed
     */
    public static List<BatchFunction> load(BatchFunctionFactory factory, int n, BooleanSupplier stopped)
            throws FunctionStartException, InterruptedException {
        BatchFunction[] made = new BatchFunction[n];
        Throwable[] failed = new Throwable[n];
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int w = i;
            Thread t = new Thread(() -> {
                try {
                    made[w] = factory.create();
                    if (made[w] == null) {
                        failed[w] = new BatchFunctionException("function '" + factory.name() + "' could not be "
                                + "started: its factory's create() returned null (a bug in the function)", null);
                    }
                } catch (Throwable e) {
                    failed[w] = e;
                }
            }, "batchwise-load-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                if (stopped.getAsBoolean()) {
                    return null;
                }
                t.join(POLL_MILLIS);
            }
        }
        List<BatchFunction> functions = new ArrayList<>(n);
        for (BatchFunction f : made) {
            if (f != null) {
                functions.add(f);
            }
        }
        for (Throwable e : failed) {
            if (e != null) {
                closeAll(functions);
                throw new FunctionStartException(e instanceof BatchFunctionException ? e.getMessage()
                        : "cannot start function '" + factory.name() + "': " + Worker.describe(e), e);
            }
        }
        return functions;
    }

    /** How often a wait for loading or closing looks whether a stop was requested. */
    private static final long POLL_MILLIS = 50;

    /** Closes each, ignoring what closing throws: it happens at the end, with nothing left to report to. */
    public static void closeAll(List<BatchFunction> functions) {
        for (BatchFunction f : functions) {
            try {
                f.close();
            } catch (Throwable ignored) {
                // closing at the end of a run: nothing left to report it to that matters
            }
        }
    }

    /**
     * Closes the functions on a thread of its own and waits at most {@code graceNanos} for it, or
     * less when {@code stopped} becomes true: a close that never returns must neither keep a finished
     * output from being committed nor make a signal do nothing.
     *
     * @return true when every close returned in time
     */
    public static boolean closeWithin(List<BatchFunction> functions, long graceNanos, BooleanSupplier stopped)
            throws InterruptedException {
        if (functions.isEmpty()) {
            return true;
        }
        Thread closer = new Thread(() -> closeAll(functions), "batchwise-close");
        closer.setDaemon(true);
        closer.start();
        long deadline = System.nanoTime() + graceNanos;
        while (closer.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || stopped.getAsBoolean()) {
                return false;
            }
            closer.join(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
        }
        return true;
    }
}
