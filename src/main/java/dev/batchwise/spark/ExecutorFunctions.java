package dev.batchwise.spark;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.SharedTextModel;
import dev.batchwise.model.TextModel;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.pipeline.FunctionStartException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The functions built in this JVM, one per {@link FunctionSpec}: built lazily by the first task that
 * needs it, then shared by every later task of the executor (and, in local mode, by the driver). Each
 * task makes its own instance from the shared factory with {@code create()}; for a model that is a
 * DJL predictor on the one loaded copy of the weights ({@link SharedTextModel}), whose files and
 * native libraries were extracted, once, from the jars on the executor's class path into the
 * machine's model cache.
 *
 * <p>Entries live as long as the JVM: an executor runs one application, and its model is wanted
 * until the executor goes. A build that fails is remembered too, so the executor's other tasks fail
 * with the same message instead of loading again.
 */
final class ExecutorFunctions {

    private static final ConcurrentMap<FunctionSpec, Entry> BUILT = new ConcurrentHashMap<>();

    private ExecutorFunctions() {}

    /** The result of one build: the factory, or why there is none. */
    private static final class Entry {
        private BatchFunctionFactory factory;
        private Exception failure;
        private boolean done;

        /** Builds on first call; later calls (from any thread) wait for that build and share its result. */
        synchronized BatchFunctionFactory get(FunctionSpec spec) throws Exception {
            if (!done) {
                try {
                    factory = build(spec);
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
     * The shared factory for {@code spec}, built here on first use.
     *
     * @throws Exception when it cannot be built on this machine (the same exception for every caller)
     */
    static BatchFunctionFactory get(FunctionSpec spec) throws Exception {
        return BUILT.computeIfAbsent(spec, r -> new Entry()).get(spec);
    }

    /** For a model, loads its weights once; a function is only configured. */
    private static BatchFunctionFactory build(FunctionSpec spec) throws Exception {
        BatchFunctionFactory factory = spec.factory(1, System.getenv());
        if (factory instanceof TextModel text) {
            try {
                return SharedTextModel.load(text);
            } catch (Exception | LinkageError e) {
                text.close();
                throw e;
            }
        }
        return factory;
    }

    /**
     * The function's signature, found on this machine without loading a model's weights (only its
     * files and tokenizer are checked).
     */
    static Signature signature(FunctionSpec spec) throws FunctionStartException {
        BatchFunctionFactory factory = spec.factory(1, System.getenv());
        try {
            return factory.signature();
        } finally {
            if (factory instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // only the signature was wanted; nothing was run
                }
            }
        }
    }
}
