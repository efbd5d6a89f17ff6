package dev.batchwise.fn;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A configured batch function: its signature, and a way to make one instance per worker.
 * Shared by all workers, so {@link #create()} must be thread-safe.
 */
public interface BatchFunctionFactory {

    /** The name shown in messages and stats, e.g. {@code trim-words}. */
    String name();

    Signature signature();

    /**
     * Makes the instance one worker owns for the whole run (for a model: loads it).
     *
     * @throws Exception when the function cannot be made; the run stops with a clear message
     */
    BatchFunction create() throws Exception;

    /**
     * A factory from its parts, for functions that need nothing more.
     *
     * @param create makes one worker's instance; called once per worker, possibly from several threads
     */
    static BatchFunctionFactory of(String name, Signature signature, Callable<BatchFunction> create) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(create, "create");
        return new BatchFunctionFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Signature signature() {
                return signature;
            }

            @Override
            public BatchFunction create() throws Exception {
                return create.call();
            }
        };
    }
}
