package dev.batchwise.fn;

import java.util.List;

/**
 * A function whose records take many steps, and finish at different steps: a decoder generating text.
 * Where a {@link BatchFunction} takes a batch and returns it whole, a stepped function keeps a
 * <em>running set</em>: the worker that owns it admits records, calls {@link #step()} once per
 * iteration, and drains the records that finished after each step, so a short record leaves at
 * once and a waiting one can take its place before the next step (iteration-level batching, as
 * Orca, vLLM and TGI do it).
 *
 * <p>Which waiting records to admit before a step is the worker's decision ({@link StepPlanner}),
 * from what this function says a record costs ({@link #cost}) and what the running set holds
 * ({@link #running()}).
 *
 * <p>Threading: one worker owns an instance and calls it from one thread at a time.
 *
 * @param <K> the caller's handle for a record, handed back with its completion
 */
public interface SteppedFunction<K> extends AutoCloseable {

    /**
     * What a record with these arguments will cost the running set. Cheap (no model call); the
     * arguments are those {@link #admit} takes.
     *
     * @throws IllegalArgumentException for arguments that this function can never run (it is then
     *     not admitted, and fails alone)
     */
    StepCost cost(List<Object> args);

    /**
     * Adds a record to the running set; its prefill runs in the next {@link #step()}. Never throws for
     * one record's fault: a record that cannot run comes back failed from {@link #drain()}.
     *
     * @param args one value per input parameter of the function's signature
     */
    void admit(K key, List<Object> args);

    /**
     * Runs one iteration: the prefill of the records admitted since the last step, then one decoding
     * step for every running record. Returns at once when nothing runs.
     *
     * @throws Exception when the step fails as a whole (the model failed); the records it held are
     *     then all in {@link #drain()}, failed, and the running set is empty
     */
    void step() throws Exception;

    /** The records that finished or failed since the last call, each exactly once. */
    List<Completion<K>> drain();

    /** The costs of the records in the running set, in admission order (finished ones have left). */
    List<StepCost> running();

    /** The budget this function was made with: the KV cache bytes it may hold at once. */
    long kvCacheBudgetBytes();

    /** Releases the model and native memory. Called once, by the owning worker. */
    @Override
    default void close() throws Exception {}

    /**
     * One record out of the running set.
     *
     * @param outputs one value per output of the signature when the record succeeded, else {@code null}
     * @param failure why the record failed, else {@code null}; a message for the user
     */
    record Completion<K>(K key, List<Object> outputs, Exception failure) {
        public boolean failed() {
            return failure != null;
        }
    }
}
