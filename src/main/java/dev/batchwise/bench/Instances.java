package dev.batchwise.bench;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import java.util.ArrayList;
import java.util.List;

/** Loads a function's instances, all at once (a model loads in parallel in about the time of one). */
final class Instances {

    private Instances() {}

    /** {@code n} instances; on a failure, closes those made and throws the first failure. */
    static List<BatchFunction> create(BatchFunctionFactory factory, int n) throws Exception {
        BatchFunction[] made = new BatchFunction[n];
        Exception[] failed = new Exception[n];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int w = i;
            Thread t = new Thread(() -> {
                try {
                    made[w] = factory.create();
                } catch (Exception e) {
                    failed[w] = e;
                }
            }, "batchwise-bench-load-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        List<BatchFunction> out = new ArrayList<>();
        for (BatchFunction f : made) {
            if (f != null) {
                out.add(f);
            }
        }
        for (Exception e : failed) {
            if (e != null) {
                for (BatchFunction f : out) {
                    try {
                        f.close();
                    } catch (Exception ignored) {
                        // the load failed; that is what gets reported
                    }
                }
                throw e;
            }
        }
        return out;
    }
}
