package dev.batchwise.pipeline;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import java.util.ArrayList;
import java.util.List;

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
        BatchFunction[] made = new BatchFunction[n];
        Throwable[] failed = new Throwable[n];
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int w = i;
            Runnable make = () -> {
                try {
                    made[w] = factory.create();
                } catch (Exception | LinkageError e) {
                    failed[w] = e;
                }
            };
            if (n == 1) {
                make.run();
            } else {
                Thread t = new Thread(make, "batchwise-load-" + (i + 1));
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
        for (Thread t : threads) {
            t.join();
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

    /** Closes each, ignoring what closing throws: it happens at the end, with nothing left to report to. */
    public static void closeAll(List<BatchFunction> functions) {
        for (BatchFunction f : functions) {
            try {
                f.close();
            } catch (Exception ignored) {
                // closing at the end of a run: nothing left to report it to that matters
            }
        }
    }
}
