package dev.batchwise.fn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A worker's instance of a function that runs by steps ({@link SteppedFunction}), handed out where a
 * {@link BatchFunction} is expected (worker pools, closing, the Spark job). A pipeline that sees one
 * runs it with a stepped worker: records join and leave its running set between steps. Called as a
 * plain batch function, it runs the batch's records together until the last has finished, each
 * leaving the running set when it is done.
 */
public interface SteppedBatchFunction extends BatchFunction {

    /** The stepped form of this instance: the same model and buffers. Owned by this instance. */
    SteppedFunction<Object> stepped();

    /**
     * Whether the running set's cache is padded to its longest record ({@link StepPlanner.Budget#paddedCache()}).
     */
    default boolean paddedCache() {
        return true;
    }

    /**
     * The output tokens a finished record produced, from its outputs, for the time-per-output-token
     * stats; 0 for a function that does not count them (then none are recorded).
     */
    default long outputTokens(List<Object> outputs) {
        return 0;
    }

    @Override
    default List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
        SteppedFunction<Object> f = stepped();
        int n = inputs.get(0).size();
        for (int i = 0; i < n; i++) {
            List<Object> args = new ArrayList<>(inputs.size());
            for (List<Object> column : inputs) {
                args.add(column.get(i));
            }
            f.admit(i, args);
        }
        List<List<Object>> rows = new ArrayList<>(Collections.nCopies(n, null));
        int done = 0;
        Exception failed = null;
        while (done < n) {
            try {
                f.step();
            } catch (Exception e) {
                f.drain(); // its records, all failed: none is left for the next call
                throw e;
            }
            for (SteppedFunction.Completion<Object> c : f.drain()) {
                done++;
                if (c.failed()) {
                    failed = failed == null ? c.failure() : failed;
                } else {
                    rows.set((Integer) c.key(), c.outputs());
                }
            }
        }
        if (failed != null) { // the pipeline splits the batch, so the record fails alone
            throw new BatchFunctionException(failed.getMessage(), failed);
        }
        List<List<Object>> columns = new ArrayList<>();
        int outputs = n == 0 ? 0 : rows.get(0).size();
        for (int o = 0; o < outputs; o++) {
            List<Object> column = new ArrayList<>(n);
            for (List<Object> row : rows) {
                column.add(row.get(o));
            }
            columns.add(column);
        }
        return columns;
    }
}
