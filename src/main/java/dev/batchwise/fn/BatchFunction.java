package dev.batchwise.fn;

import java.util.List;

/**
 * A function over a batch of records, in the shape of Gradio's batch functions: one list per input
 * parameter in, one list per output out.
 *
 * <p>Contract: {@code inputs} holds one list per input parameter of the {@link Signature}, in
 * declaration order, all as long as the batch. The result must hold one list per output, in
 * declaration order, each exactly as long as the batch; element {@code i} of every output list
 * belongs to element {@code i} of the input lists. The pipeline checks this and reports a violation
 * as an error naming the function, the expected and the actual length.
 *
 * <p>Threading: each worker owns one instance and calls it from one thread at a time, so an
 * implementation need not be thread-safe. The lists passed in must not be kept after the call.
 *
 * <p>Failures: throwing fails the call. The pipeline then splits the batch and retries the halves,
 * so that only the records that fail on their own are reported as failed.
 */
public interface BatchFunction extends AutoCloseable {

    List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception;

    /**
     * The same call, with a place to report phase times and token counts for the stats. Functions
     * that have such numbers override this one and implement {@link #apply(List)} as
     * {@code apply(inputs, CallMetrics.NONE)}.
     */
    default List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
        return apply(inputs);
    }

    /** Releases what the instance holds (a model, native memory). Called once, by the owning worker. */
    @Override
    default void close() throws Exception {}
}
