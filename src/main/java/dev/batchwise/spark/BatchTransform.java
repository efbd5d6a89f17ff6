package dev.batchwise.spark;

import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.InputBinding;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.util.SettingException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * ModelSpec.Builder model = ModelSpec.builder();
 * model.threads = 1;
 * Dataset<Row> embedded = BatchTransform.apply(reviews, new FunctionSpec.Model("minilm", model.build()),
 *         BatchingSpec.builder().build(1), Map.of("text", "review"), null);
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
     * @param batching how each partition's records are batched, as the command line batches records
     *     that all arrive at once; its workers are ignored (each task runs one)
     * @param inputColumns which column each input parameter reads, where it is not the parameter's own name
     * @param stats where the tasks count records, failures, batches and times, or {@code null}
     * @throws SettingException for a parameter or column that does not exist, naming what does
     * @throws FunctionStartException when the function cannot be set up (checked on the driver)
     */
    public static Dataset<Row> apply(Dataset<Row> input, FunctionSpec function, BatchingSpec batching,
            Map<String, String> inputColumns, JobStats stats) throws FunctionStartException {
        Signature signature = ExecutorFunctions.signature(function);
        StructType in = input.schema();
        List<String> columns = Arrays.asList(in.fieldNames());
        // the command line's own binding of parameters to columns, checked against the visible columns
        InputBinding binding = new InputBinding(function.name(), signature, inputColumns, null, List.of());
        binding.check("the input", columns.stream().filter(c -> !c.equals(CORRUPT) && !JobInputs.ORDER.contains(c))
                .toList());
        String[] argNames = binding.columns().toArray(new String[0]);
        int[] argColumns = new int[argNames.length];
        for (int i = 0; i < argNames.length; i++) {
            argColumns[i] = columns.indexOf(argNames[i]);
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
        PartitionFunction partitions = new PartitionFunction(function, batching, signature.inputNames(), argColumns, argNames,
                layout.stream().mapToInt(Integer::intValue).toArray(), outputs, counters, columns.indexOf(CORRUPT));
        return input.mapPartitions(partitions, Encoders.row(schema));
    }
}
