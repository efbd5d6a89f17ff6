package dev.batchwise.spark;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.Signature;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Java API for Spark users: a batch function or model over a {@code Dataset<Row>}, batched
 * within each partition as the command line batches, with the same split-and-retry isolation.
 *
 * <pre>{@code
 * Dataset<Row> reviews = spark.read().json("in/*.jsonl");
 * Dataset<Row> embedded = BatchTransform.apply(reviews,
 *         new FunctionSpec.Model("minilm", Task.EMBED, null, 1, 1, null),
 *         BatchOptions.defaults(), Map.of("text", "review"), null);
 * }</pre>
 *
 * <p>The result has the input's columns and the function's outputs (see {@link OutputColumns} for
 * their types), then {@code error}; an output or {@code error} named like an input column takes its
 * place. A row whose {@value #CORRUPT} column is set fails as bad input. It is lazy, like any transformation: the function runs when an action runs it. Rows keep
 * their partition and their order within it.
 */
public final class BatchTransform {

    /**
     * Where Spark's CSV and JSON readers put the text of a record they cannot parse (their default
     * {@code columnNameOfCorruptRecord}): a row with a value there fails as bad input.
     */
    public static final String CORRUPT = "_corrupt_record";

    private BatchTransform() {}

    /**
     * @param inputColumns which column each input parameter reads, where it is not the parameter's own name
     * @param stats where the tasks count records, failures, batches and times, or {@code null}
     * @throws IllegalArgumentException for a parameter or column that does not exist, naming what does
     * @throws RunException when the function cannot be set up (checked on the driver): exit status 2 for
     *     a mistake in the spec, 5 for a model whose files are not usable
     */
    public static Dataset<Row> apply(Dataset<Row> input, FunctionSpec function, BatchOptions options,
            Map<String, String> inputColumns, JobStats stats) throws RunException {
        Signature signature = ExecutorFunctions.signature(function);
        StructType in = input.schema();
        List<String> columns = Arrays.asList(in.fieldNames());
        Map<String, String> unused = new LinkedHashMap<>(inputColumns);
        int[] argColumns = new int[signature.inputs().size()];
        String[] argNames = new String[argColumns.length];
        for (int i = 0; i < argColumns.length; i++) {
            Param p = signature.inputs().get(i);
            String column = unused.remove(p.name());
            argNames[i] = column != null ? column : p.name();
            argColumns[i] = columns.indexOf(argNames[i]);
            if (argColumns[i] < 0) {
                throw new IllegalArgumentException("no column '" + argNames[i] + "' for input '" + p.name() + "' of "
                        + ExecutorFunctions.label(function) + "; the columns are: " + String.join(", ", columns)
                        + (column == null ? "; choose one with --input " + p.name() + "=COLUMN" : ""));
            }
        }
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(ExecutorFunctions.label(function) + " has no input '" + unused.keySet().iterator().next()
                    + "'; its inputs are: " + String.join(", ", signature.inputNames()));
        }
        OutputColumns outputs = OutputColumns.of(function, signature);
        List<StructField> added = outputs.fields();
        List<String> addedNames = new ArrayList<>(outputs.names());
        addedNames.add(OutputColumns.ERROR);
        List<StructField> fields = new ArrayList<>();
        List<Integer> layout = new ArrayList<>();
        boolean[] placed = new boolean[added.size()];
        for (int c = 0; c < in.fields().length; c++) {
            int replaced = addedNames.indexOf(columns.get(c));
            if (replaced >= 0) {
                fields.add(added.get(replaced));
                layout.add(-1 - replaced);
                placed[replaced] = true;
            } else {
                fields.add(in.fields()[c]);
                layout.add(c);
            }
        }
        for (int a = 0; a < added.size(); a++) {
            if (!placed[a]) {
                fields.add(added.get(a));
                layout.add(-1 - a);
            }
        }
        StructType schema = new StructType(fields.toArray(new StructField[0]));
        JobStats counters = stats != null ? stats : JobStats.register(input.sparkSession().sparkContext());
        PartitionFunction partitions = new PartitionFunction(function, options, signature.inputNames(), argColumns, argNames,
                layout.stream().mapToInt(Integer::intValue).toArray(), outputs, counters, columns.indexOf(CORRUPT));
        return input.mapPartitions(partitions, Encoders.row(schema));
    }
}
