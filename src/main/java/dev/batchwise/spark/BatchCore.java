package dev.batchwise.spark;

import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.result.Failure;
import java.util.Iterator;
import java.util.Map;

/**
 * The batching core as the job calls it inside one partition: records in, in order; their values
 * converted to the function's parameter types; batches of up to the policy's size (grouped by weight
 * within its lookahead when it says so); a failed call split and retried down to single records; one
 * outcome per record out, in the records' order.
 *
 * <p>The job depends on this interface only, so that the implementation behind it can change
 * without touching the Spark code.
 */
interface BatchCore {

    /**
     * Starts running {@code items} through an instance of {@code factory} made for this run, pulling
     * the items lazily: no more than about the policy's lookahead are held at once.
     *
     * @param factory shared with other runs (other tasks); the run makes its own instance and closes
     *     only that
     * @param items one partition's records in order; an item with a failure is not run but passed
     *     through as failed, in its place
     * @param totals told the run's totals once its last outcome has been taken
     * @return one outcome per item, in the items' order; closing it (also before the end) releases
     *     the run's instance and whatever else it holds
     */
    <T> Run<T> run(BatchFunctionFactory factory, BatchPolicy policy, Iterator<Item<T>> items, Totals totals)
            throws Exception;

    /** The outcomes of one run, and the means to end it. */
    interface Run<T> extends Iterator<Outcome<T>>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * One record for the core.
     *
     * @param payload what the caller needs back with the outcome (the row)
     * @param fields the raw value of each input parameter, by parameter name: a string, a number, a
     *     boolean or a Jackson node, converted as from JSON Lines; {@code null} when {@code failure} is set
     * @param failure why the record cannot run (it could not be read), or {@code null}
     */
    record Item<T>(T payload, Map<String, Object> fields, Failure failure) {}

    /** One record's outputs, in the signature's output order, or its failure; exactly one is non-null. */
    record Outcome<T>(T payload, Object[] outputs, Failure failure) {}

    /**
     * What a run did, in all.
     *
     * @param batches calls on batches as formed (retries of halves after a failure not counted)
     * @param batchedRecords records in those batches
     * @param retryCalls calls on halves of failed calls
     * @param computeNanos time in all calls
     * @param modelNanos time in the model phase of the calls, for functions that report it
     */
    record Summary(long records, long failed, long batches, long batchedRecords, long retryCalls, long computeNanos,
            long modelNanos, long realTokens, long paddedTokens) {}

    /** Told a run's summary, on the thread that took its last outcome. */
    interface Totals {
        void add(Summary summary);
    }

    /** The implementation the job uses. */
    static BatchCore standard() {
        return new RunLayerBatchCore();
    }
}
