package dev.batchwise.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.Failure;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One partition through the function: each row's arguments read from its columns, the records
 * batched by the {@link BatchCore}, each row out with the function's outputs and {@code error}
 * added. A record that cannot be read or that the function fails on gets its error and never fails
 * the task; a function that cannot be built on the executor does.
 *
 * <p>The function instance is made when the partition's first row is pulled (an empty partition
 * makes none) and closed when the task ends.
 */
final class PartitionFunction implements MapPartitionsFunction<Row, Row> {

    private final FunctionRef ref;
    private final BatchOptions options;
    /** For each input parameter, the index of the column it reads. */
    private final int[] argColumns;
    private final String[] argColumnNames;
    /** For each output column of the result row: the input column it copies (>= 0), or -1 - output index. */
    private final int[] layout;
    private final OutputColumns outputs;
    private final JobStats stats;
    /** The column where Spark's reader put a record it could not parse, or -1. */
    private final int corruptColumn;

    PartitionFunction(FunctionRef ref, BatchOptions options, int[] argColumns,
            String[] argColumnNames, int[] layout, OutputColumns outputs, JobStats stats, int corruptColumn) {
        this.corruptColumn = corruptColumn;
        this.ref = ref;
        this.options = options;
        this.argColumns = argColumns;
        this.argColumnNames = argColumnNames;
        this.layout = layout;
        this.outputs = outputs;
        this.stats = stats;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        BatchFunctionFactory factory = ExecutorFunctions.get(ref);
        BatchFunction function = factory.create();
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> closeQuietly(function));
        }
        Signature signature = factory.signature();
        RecordPreparer preparer = factory instanceof RecordPreparer p ? p : null;
        BatchPolicy policy = options.policy(preparer != null);
        Iterator<BatchCore.Item<Row>> items = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public BatchCore.Item<Row> next() {
                return item(rows.next(), factory.name(), signature, preparer);
            }
        };
        Iterator<BatchCore.Outcome<Row>> outcomes = BatchCore.standard().run(function, factory.name(), signature,
                policy, items, listener());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return outcomes.hasNext();
            }

            @Override
            public Row next() {
                return row(outcomes.next());
            }
        };
    }

    private BatchCore.Item<Row> item(Row row, String name, Signature signature, RecordPreparer preparer) {
        if (corruptColumn >= 0 && !row.isNullAt(corruptColumn)) {
            String text = row.getString(corruptColumn).strip();
            return bad(row, "the record cannot be read: '" + (text.length() <= 60 ? text : text.substring(0, 57) + "...")
                    + "'");
        }
        Object[] args = new Object[argColumns.length];
        for (int i = 0; i < args.length; i++) {
            Param param = signature.inputs().get(i);
            Object raw = row.get(argColumns[i]);
            if (raw == null) {
                return bad(row, "no value in column '" + argColumnNames[i] + "' (input '" + param.name()
                        + "' of function '" + name + "')");
            }
            try {
                args[i] = param.type().convert(raw instanceof String s ? s : json(raw));
            } catch (IllegalArgumentException e) {
                return bad(row, "column '" + argColumnNames[i] + "': " + e.getMessage() + " (input '" + param.name()
                        + "' of function '" + name + "')");
            }
        }
        int weight = 1;
        if (preparer != null) {
            try {
                weight = Math.max(1, preparer.prepare(args));
            } catch (IllegalArgumentException e) {
                return bad(row, e.getMessage());
            }
        }
        return new BatchCore.Item<>(row, args, weight, null);
    }

    private static BatchCore.Item<Row> bad(Row row, String message) {
        return new BatchCore.Item<>(row, null, 1, new Failure(Failure.Code.BAD_INPUT, message));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A value Spark's JSON reader typed (a number, a boolean, a struct) as the JSON node it was read from. */
    private static JsonNode json(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof Integer i) {
            return f.numberNode(i);
        } else if (v instanceof Double d) {
            return f.numberNode(d);
        } else if (v instanceof BigDecimal d) {
            return f.numberNode(d);
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof Row r) {
            try {
                return JSON.readTree(r.json());
            } catch (IOException e) {
                return f.textNode(r.toString());
            }
        }
        return f.textNode(String.valueOf(v));
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
                failure = new Failure(Failure.Code.CONTRACT_VIOLATION, ref.label() + " returned a value "
                        + "that does not fit its column: " + e);
            }
        }
        stats.record(failure != null);
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

    private BatchCore.Listener listener() {
        return new BatchCore.Listener() {
            @Override
            public void call(int size, long computeNanos, boolean retry) {
                stats.call(size, computeNanos, retry);
            }

            @Override
            public void phase(String name, long nanos) {
                stats.phase(name, nanos);
            }

            @Override
            public void tokens(long real, long padded) {
                stats.tokens(real, padded);
            }

            @Override
            public void truncated(int records) {}
        };
    }

    private static void closeQuietly(BatchFunction function) {
        try {
            function.close();
        } catch (Exception ignored) {
            // the task is over; a close failure has nowhere to go and loses no result
        }
    }
}
