package dev.batchwise.spark;

import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.Failure;
import java.util.Iterator;

/**
 * The batching core as the job calls it inside one partition: records in, in order; batches of up
 * to the policy's size (grouped by weight within its lookahead when it says so); a failed call split
 * and retried down to single records; one outcome per record out, in the records' order.
 *
 * <p>The job depends on this interface only, so that the implementation behind it can change
 * without touching the Spark code.
 */
interface BatchCore {

    /**
     * Runs {@code items} through {@code function}, pulling them lazily: no more than the policy's
     * lookahead are held at once.
     *
     * @param function one task's instance, called from the calling thread only; not closed here
     * @param name the function's name, for failure messages
     * @param items one partition's records in order; an item with a failure is not run but passed
     *     through as failed, in its place
     * @return one outcome per item, in the items' order
     */
    <T> Iterator<Outcome<T>> run(BatchFunction function, String name, Signature signature, BatchPolicy policy,
            Iterator<Item<T>> items, Listener listener);

    /**
     * One record for the core.
     *
     * @param payload what the caller needs back with the outcome (the row)
     * @param args the function's arguments, one per input parameter; {@code null} when {@code failure} is set
     * @param weight the record's weight for grouping and the token budget, at least 1
     * @param failure why the record cannot run (bad input), or {@code null}
     */
    record Item<T>(T payload, Object[] args, int weight, Failure failure) {}

    /** One record's outputs, in the signature's output order, or its failure; exactly one is non-null. */
    record Outcome<T>(T payload, Object[] outputs, Failure failure) {}

    /** Told of each call, on the calling thread. */
    interface Listener extends CallMetrics {
        /**
         * @param size the records in the call
         * @param computeNanos the call's wall time
         * @param retry whether the call is a retry of half of a failed call
         */
        void call(int size, long computeNanos, boolean retry);
    }

    /** The implementation the job uses. */
    static BatchCore standard() {
        return new PlannerBatchCore();
    }
}
