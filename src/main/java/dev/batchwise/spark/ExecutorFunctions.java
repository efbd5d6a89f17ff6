package dev.batchwise.spark;

import dev.batchwise.fn.BatchFunctionFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The functions built in this JVM, one per {@link FunctionRef}: built lazily by the first task that
 * needs it, then shared by every later task of the executor (and, in local mode, by the driver). Each
 * task makes its own instance from the shared factory with {@code create()}; for a model that is a
 * predictor on the one loaded copy of the weights.
 *
 * <p>Entries live as long as the JVM: an executor runs one application, and its model is wanted
 * until the executor goes. A build that fails is remembered too, so the executor's other tasks fail
 * with the same message instead of loading again.
 */
final class ExecutorFunctions {

    private static final ConcurrentMap<FunctionRef, Entry> BUILT = new ConcurrentHashMap<>();

    private ExecutorFunctions() {}

    /** The result of one build: the factory, or why there is none. */
    private static final class Entry {
        private BatchFunctionFactory factory;
        private Exception failure;
        private boolean done;

        /** Builds on first call; later calls (from any thread) wait for that build and share its result. */
        synchronized BatchFunctionFactory get(FunctionRef ref) throws Exception {
            if (!done) {
                try {
                    factory = ref.build();
                } catch (Exception e) {
                    failure = e;
                } finally {
                    done = true;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return factory;
        }
    }

    /**
     * The shared factory for {@code ref}, built here on first use.
     *
     * @throws Exception when it cannot be built on this machine (the same exception for every caller)
     */
    static BatchFunctionFactory get(FunctionRef ref) throws Exception {
        return BUILT.computeIfAbsent(ref, r -> new Entry()).get(ref);
    }

    /** How many distinct functions this JVM has built (or tried to). */
    static int size() {
        return BUILT.size();
    }
}
