package dev.batchwise.spark;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.result.Failure;
import dev.batchwise.stats.RunStats;
import java.util.Iterator;
import java.util.Map;

/**
 * The batching core as the job calls it inside one partition: records in, in order; their values
 * converted to the function's parameter types; batches of up to the policy's size (grouped by weight
 * within its lookahead when it says so); a failed call split and retried down to single records; one
 * outcome per record out, in the records' order. The batching is the command line's, for records
 * that all arrive at once.
 *
 * <p>The job depends on this interface only, so that the implementation behind it can change
 * without touching the Spark code.
 */
interface BatchCore {

    /**
     * Starts running {@code items} through an instance of {@code factory} made for this run, pulling
     * the items lazily: no more than about the batching's lookahead are held at once.
     *
     * @param factory shared with other runs (other tasks); the run makes its own instance and closes
     *     only that
     * @param items one partition's records in order; an item with a failure is not run but passed
     *     through as failed, in its place
     * @param totals told the run's totals once its last outcome has been taken
     * @return one outcome per item, in the items' order; closing it (also before the end) releases
     *     the run's instance and whatever else it holds
     */
    <T> Run<T> run(BatchFunctionFactory factory, BatchingSpec batching, Iterator<Item<T>> items, Totals totals)
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
     * @param records the records, those that failed before they could run included
     * @param failed the failed records, likewise
     * @param stats the stats of the records that ran
     */
    record Summary(long records, long failed, RunStats stats) {}

    /** Told a run's summary, on the thread that took its last outcome. */
    interface Totals {
        void add(Summary summary);
    }

    /** The implementation the job uses. */
    static BatchCore standard() {
        return new RunLayerBatchCore();
    }
}
