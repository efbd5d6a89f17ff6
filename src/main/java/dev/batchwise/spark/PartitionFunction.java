package dev.batchwise.spark;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.result.Failure;
import dev.batchwise.run.FunctionSpec;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One partition through the function: each row's input values taken from its columns, the records
 * run by the {@link BatchCore}, each row out with the function's outputs and {@code error} added. A
 * record that cannot be read or that the function fails on gets its error and never fails the task;
 * a function that cannot be built on the executor does.
 *
 * <p>The function is taken from the executor's {@link ExecutorFunctions} when the partition's first
 * row is pulled (an empty partition takes none); the task's own instance is closed when the task ends.
 *
 * @param params the function's input parameters
 * @param argColumns for each parameter, the index of the column it reads
 * @param argColumnNames for each parameter, the name of the column it reads
 * @param layout for each column of the result row: the input column it copies (>= 0), or -1 - output index
 * @param corruptColumn the column where Spark's reader put a record it could not parse, or -1
 */
record PartitionFunction(FunctionSpec spec, BatchingSpec batching, List<String> params, int[] argColumns,
        String[] argColumnNames, int[] layout, OutputColumns outputs, JobStats stats, int corruptColumn)
        implements MapPartitionsFunction<Row, Row> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    PartitionFunction {
        params = List.copyOf(params);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        BatchFunctionFactory factory = ExecutorFunctions.get(spec);
        String name = factory.name();
        Iterator<BatchCore.Item<Row>> items = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public BatchCore.Item<Row> next() {
                return item(rows.next(), name);
            }
        };
        BatchCore.Run<Row> run = BatchCore.standard().run(factory, batching, items,
                s -> stats.add(s.records(), s.failed(), s.stats()));
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> run.close());
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return run.hasNext();
            }

            @Override
            public Row next() {
                return row(run.next());
            }
        };
    }

    private BatchCore.Item<Row> item(Row row, String name) {
        if (corruptColumn >= 0 && !row.isNullAt(corruptColumn)) {
            String text = row.getString(corruptColumn).strip();
            return bad(row, "the record cannot be read: '" + (text.length() <= 60 ? text : text.substring(0, 57) + "...")
                    + "'");
        }
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < argColumns.length; i++) {
            Object raw = row.get(argColumns[i]);
            if (raw == null) {
                return bad(row, "no value in column '" + argColumnNames[i] + "' (input '" + params.get(i)
                        + "' of function '" + name + "')");
            }
            if (raw instanceof Row struct) {
                try {
                    raw = JSON.readTree(struct.json());
                } catch (IOException e) {
                    raw = struct.toString();
                }
            }
            fields.put(params.get(i), raw);
        }
        return new BatchCore.Item<>(row, fields, null);
    }

    private static BatchCore.Item<Row> bad(Row row, String message) {
        return new BatchCore.Item<>(row, null, new Failure(Failure.Code.BAD_INPUT, message));
    }

    private Row row(BatchCore.Outcome<Row> outcome) {
        Row in = outcome.payload();
        Object[] values = new Object[layout.length];
        Failure failure = outcome.failure();
        Object[] out = null;
        if (failure == null) {
            out = new Object[outcome.outputs().length];
            try {
                for (int o = 0; o < out.length; o++) {
                    out[o] = outputs.value(o, outcome.outputs()[o]);
                }
            } catch (RuntimeException e) {
                out = null;
                failure = new Failure(Failure.Code.CONTRACT_VIOLATION, spec.label() + " returned a value that does not "
                        + "fit its column: " + e);
            }
        }
        for (int c = 0; c < layout.length; c++) {
            int from = layout[c];
            if (from >= 0) {
                values[c] = in.get(from);
            } else if (from == -1 - outputs.names().size()) {
                values[c] = OutputColumns.error(failure);
            } else {
                values[c] = out == null ? null : out[-1 - from];
            }
        }
        return RowFactory.create(values);
    }
}
