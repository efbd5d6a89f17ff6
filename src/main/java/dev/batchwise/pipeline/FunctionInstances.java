package dev.batchwise.pipeline;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.time.Clock;
import dev.batchwise.util.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Making and closing the function instances of a run's workers, each on a thread of its own, waited
 * for through the run's {@link RunState}, so that a stop ends the wait at once however long a
 * factory or a {@code close()} takes (the threads are then abandoned).
 */
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
        return load(factory, n, new RunState(Clock.SYSTEM));
    }

    /**
     * As {@link #load(BatchFunctionFactory, int)}, ending the wait at a stop of {@code state}.
     *
     * @return the instances, or {@code null} when a stop came before all were made
     * @throws FunctionStartException when any cannot be made, or a factory made null; those made are closed
     */
    static List<BatchFunction> load(BatchFunctionFactory factory, int n, RunState state)
            throws FunctionStartException, InterruptedException {
        BatchFunction[] made = new BatchFunction[n];
        Throwable[] failed = new Throwable[n];
        AtomicInteger ended = new AtomicInteger();
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
                } finally {
                    ended.incrementAndGet();
                    state.changed();
                }
            }, "batchwise-load-" + (i + 1));
            t.setDaemon(true);
            t.start();
        }
        if (!state.awaitDone(() -> ended.get() == n, state::stopping, RunState.NO_DEADLINE)) {
            return null;
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
                if (e instanceof SettingException usage) {
                    throw usage; // a setting the function cannot serve (classify on a model without logits)
                }
                throw new FunctionStartException(e instanceof BatchFunctionException ? e.getMessage()
                        : "cannot start function '" + factory.name() + "': " + Worker.describe(e), e);
            }
        }
        return functions;
    }

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
     * Closes the functions on a thread of its own and waits at most {@code graceNanos} of the run's
     * clock for it, or less when a stop comes that was not under way before: a close that never
     * returns must neither keep a finished output from being committed nor make a signal do nothing.
     *
     * @return true when every close returned in time
     */
    static boolean closeWithin(List<BatchFunction> functions, long graceNanos, RunState state, Clock clock)
            throws InterruptedException {
        boolean stoppedBefore = state.stopping();
        if (functions.isEmpty()) {
            return true;
        }
        AtomicInteger closed = new AtomicInteger();
        Thread closer = new Thread(() -> {
            try {
                closeAll(functions);
            } finally {
                closed.set(1);
                state.changed();
            }
        }, "batchwise-close");
        closer.setDaemon(true);
        closer.start();
        return state.awaitDone(() -> closed.get() == 1, () -> !stoppedBefore && state.stopping(),
                clock.nanoTime() + graceNanos);
    }
}
