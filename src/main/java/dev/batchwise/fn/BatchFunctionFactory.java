package dev.batchwise.fn;

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
}
