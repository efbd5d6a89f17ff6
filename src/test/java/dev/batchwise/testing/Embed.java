package dev.batchwise.testing;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.RecordPreparer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a function over texts the way the pipeline does (each record prepared, then batches of a
 * given size in input order), straight through the function classes.
 */
public final class Embed {

    private Embed() {}

    /** Each text's first output, in input order. */
    public static List<Object> first(BatchFunctionFactory factory, List<String> texts, int batchSize) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        for (String t : texts) {
            rows.add(List.of(t));
        }
        return run(factory, rows, batchSize, CallMetrics.NONE).get(0);
    }

    /**
     * Every output of every record, one list per output.
     *
     * @param rows each record's input values, in signature order
     */
    public static List<List<Object>> run(BatchFunctionFactory factory, List<List<Object>> rows, int batchSize,
            CallMetrics metrics) throws Exception {
        int params = factory.signature().inputs().size();
        int outputs = factory.signature().outputs().size();
        List<List<Object>> out = new ArrayList<>();
        for (int o = 0; o < outputs; o++) {
            out.add(new ArrayList<>());
        }
        try (BatchFunction f = factory.create()) {
            for (int from = 0; from < rows.size(); from += batchSize) {
                List<List<Object>> inputs = new ArrayList<>();
                for (int p = 0; p < params; p++) {
                    inputs.add(new ArrayList<>());
                }
                for (List<Object> row : rows.subList(from, Math.min(rows.size(), from + batchSize))) {
                    Object[] args = row.toArray();
                    if (factory instanceof RecordPreparer preparer) {
                        preparer.prepare(args);
                    }
                    for (int p = 0; p < params; p++) {
                        inputs.get(p).add(args[p]);
                    }
                }
                List<? extends List<?>> result = f.apply(inputs, metrics);
                for (int o = 0; o < outputs; o++) {
                    out.get(o).addAll(result.get(o));
                }
            }
        }
        return out;
    }
}
