package dev.batchwise.spark;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunException;
import dev.batchwise.model.Task;
import dev.batchwise.source.InputFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code run}: read the input with Spark's readers, run it through {@link BatchTransform}, write JSON
 * Lines or Parquet part files into the output directory, print the stats. Thin: the work is in the
 * transform.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "Run records through a model (the bundled all-MiniLM-L6-v2 unless told otherwise) or a batch "
                + "function on Spark, batched in each partition as the command line batches, and write one output "
                + "record per input record into a directory of part files. Stats go to standard error.",
        footerHeading = "%nExample:%n",
        footer = "  spark-submit --class dev.batchwise.spark.Main JOB_JAR run --model minilm --input text=review "
                + "--id id 'in/*.jsonl' -o out/")
final class RunJob implements Callable<Integer> {

    /** The command line's exit codes; a Spark job that fails for another reason exits with SOFTWARE. */
    static final int OK = ExitCodes.OK;
    static final int RECORDS_FAILED = ExitCodes.RECORDS_FAILED;
    static final int INPUT = ExitCodes.INPUT;
    static final int OUTPUT = ExitCodes.OUTPUT;
    static final int FUNCTION = ExitCodes.FUNCTION;
    static final int JOB_FAILED = ExitCodes.SOFTWARE;

    private final Supplier<SparkSession> session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Input files, directories or globs (quote them for the shell), any Hadoop file system: "
                    + ".csv, .tsv, .jsonl, .txt, optionally .gz. Read in the order given; a glob's or a directory's "
                    + "files in name order.")
    List<String> paths = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "Input format: ${COMPLETION-CANDIDATES}. Default: from the file extensions.")
    InputFormat format;

    @Option(names = {"-i", "--input"}, paramLabel = "PARAM=COLUMN",
            description = "Read the function's input PARAM from COLUMN. Default: the column of its own name; text "
                    + "input has one field, 'text'.")
    Map<String, String> mapping = new LinkedHashMap<>();

    @Option(names = "--id", paramLabel = "COLUMN",
            description = "Write this column with the outputs instead of every input column.")
    String idColumn;

    @Option(names = "--no-header", description = "CSV/TSV inputs have no header row; columns are named 1, 2, ...")
    boolean noHeader;

    @Option(names = {"-m", "--model"}, paramLabel = "NAME|PATH",
            description = "A bundled model (minilm, the default; minilm-q), or a model directory present on every "
                    + "executor.")
    String model;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "embed",
            description = "embed, classify or raw. Default: ${DEFAULT-VALUE}.")
    Task task;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "1", description = "For classify: list the K most likely labels.")
    int topK;

    @Option(names = "--max-length", paramLabel = "TOKENS", description = "Truncate each record to this many tokens.")
    Integer maxLength;

    @Option(names = "--model-threads", paramLabel = "N", defaultValue = "1",
            description = "Math threads of each executor's model, shared by its tasks, each of which runs on its own "
                    + "core. Default: ${DEFAULT-VALUE}.")
    int modelThreads;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where each machine extracts model files and native libraries, once. Default: "
                    + "$BATCHWISE_CACHE_DIR, else ~/.cache/batchwise, on that machine.")
    String cacheDir;

    @Option(names = "--fn", paramLabel = "NAME",
            description = "A batch function instead of a model: a built-in, or one in a jar given to spark-submit --jars.")
    String function;

    @Option(names = "--fn-arg", paramLabel = "KEY=VALUE", description = "An argument of the --fn function.")
    Map<String, String> fnArgs = new LinkedHashMap<>();

    @Option(names = {"-b", "--max-batch-size"}, paramLabel = "N", defaultValue = "16",
            description = "The most records in one call. Default: ${DEFAULT-VALUE}.")
    int maxBatchSize;

    @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "0",
            description = "Cap a batch's cost in tokens, padding included; 0: no cap.")
    long maxBatchTokens;

    @Option(names = "--group-by-length", negatable = true,
            description = "Batch records of similar length together, within the lookahead. Default: on for models.")
    Boolean groupByLength;

    @Option(names = "--lookahead", paramLabel = "N",
            description = "How many of a partition's next records length grouping chooses from. Default: 1024.")
    Integer lookahead;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spread the records over N partitions (tasks) before running them. Default: Spark's "
                    + "default parallelism, when the input has fewer partitions.")
    Integer partitions;

    @Option(names = "--ordered",
            description = "Write the output in input order (part files in name order, rows in order within each); "
                    + "costs a sort of the input records.")
    boolean ordered;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = "The output directory, which must not exist: Spark's part files go there.")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl or parquet. Default: ${DEFAULT-VALUE}.")
    String outputFormat;

    @Option(names = "--stats-json", paramLabel = "FILE", description = "Also write the stats as JSON to this local file.")
    Path statsJson;

    @Option(names = {"-q", "--quiet"}, description = "No stats on standard error.")
    boolean quiet;

    RunJob(Supplier<SparkSession> session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CommandLine cl = spec.commandLine();
        FunctionSpec ref = functionSpec();
        BatchOptions batching;
        try {
            batching = new BatchOptions(maxBatchSize, maxBatchTokens, groupByLength, lookahead == null ? 0 : lookahead);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        String outFormat = outputFormat.toLowerCase(Locale.ROOT);
        if (!outFormat.equals("jsonl") && !outFormat.equals("parquet")) {
            throw new CommandLine.ParameterException(cl, "--output-format: '" + outputFormat
                    + "' is not one of jsonl, parquet");
        }
        if (partitions != null && partitions < 1) {
            throw new CommandLine.ParameterException(cl, "--partitions must be at least 1");
        }
        long start = System.nanoTime();
        SparkSession spark = session.get();
        long sessionReady = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> files;
        try {
            files = JobInputs.files(hadoop, paths);
            checkOutput(hadoop, files);
        } catch (JobInputs.InputError e) {
            return fail(err, INPUT, e.getMessage());
        } catch (OutputError e) {
            return fail(err, OUTPUT, e.getMessage());
        }
        InputFormat inputFormat = format != null ? format : JobInputs.formatOf(files);
        if (inputFormat == null) {
            throw new CommandLine.ParameterException(cl, "the input files' names do not say one format ("
                    + String.join(", ", files.subList(0, Math.min(3, files.size())))
                    + (files.size() > 3 ? ", ..." : "") + "): give it with --format");
        }
        Dataset<Row> input = JobInputs.read(spark, files, inputFormat, !noHeader);
        if (idColumn != null && !List.of(input.columns()).contains(idColumn)) {
            throw new CommandLine.ParameterException(cl, "--id: no column '" + idColumn + "'; the columns are: "
                    + String.join(", ", visible(input.columns())));
        }
        int tasks = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
        Column[] order = JobInputs.ORDER.stream().map(functions::col).toArray(Column[]::new);
        if (ordered) {
            input = input.repartitionByRange(tasks, order).sortWithinPartitions(order);
        } else if (partitions != null || input.javaRDD().getNumPartitions() < tasks) {
            input = input.repartition(tasks);
        }
        JobStats stats = JobStats.register(spark.sparkContext());
        Dataset<Row> result;
        try {
            result = BatchTransform.apply(input, ref, batching, mapping, stats);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, visibleMessage(e.getMessage()));
        } catch (RunException e) {
            if (e.optionMistake()) {
                throw new CommandLine.ParameterException(cl, e.getMessage());
            }
            return fail(err, e.exitCode(), e.getMessage());
        }
        List<Column> columns = new ArrayList<>();
        for (String c : result.columns()) {
            boolean hidden = JobInputs.ORDER.contains(c) || c.equals(BatchTransform.CORRUPT);
            boolean input0 = List.of(input.columns()).contains(c) && !c.equals(OutputColumns.ERROR);
            if (!hidden && (idColumn == null || !input0 || c.equals(idColumn))) {
                columns.add(functions.col("`" + c + "`"));
            }
        }
        DataFrameWriter<Row> writer = result.select(columns.toArray(new Column[0])).write().mode(SaveMode.ErrorIfExists);
        try {
            if (outFormat.equals("parquet")) {
                writer.parquet(output);
            } else {
                writer.json(output);
            }
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
                if (root instanceof RunException || root instanceof ModelLoadException
                        || root instanceof IllegalArgumentException) {
                    return fail(err, FUNCTION, ExecutorFunctions.label(ref) + " cannot be set up on an executor: "
                            + root.getMessage());
                }
            }
            return fail(err, JOB_FAILED, "the Spark job failed: " + firstLine(root.toString())
                    + "; the output directory " + output + " is incomplete");
        }
        long end = System.nanoTime();
        Map<String, Object> summary = stats.summary(end - sessionReady);
        summary.put("session_seconds", Math.round((sessionReady - start) / 1e6) / 1e3);
        summary.put("settings", settings(spark, ref, batching, tasks, inputFormat, outFormat));
        int code = stats.failed() > 0 ? RECORDS_FAILED : OK;
        if (!quiet) {
            err.print(table(summary));
            if (code == RECORDS_FAILED) {
                err.println("batchwise: " + stats.failed() + " of " + stats.records()
                        + " records failed; see their \"error\" in the output");
            }
            err.flush();
        }
        if (statsJson != null) {
            try {
                Files.writeString(statsJson, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                        .writeValueAsString(summary) + "\n");
            } catch (IOException e) {
                return fail(err, OUTPUT, "cannot write --stats-json " + statsJson + ": " + e.getMessage());
            }
        }
        return code;
    }

    private FunctionSpec functionSpec() {
        CommandLine cl = spec.commandLine();
        if (function != null && model != null) {
            throw new CommandLine.ParameterException(cl, "--fn and --model exclude each other: run a function or a model");
        }
        try {
            if (function != null) {
                return new FunctionSpec.Named(function, fnArgs, List.of());
            }
            if (!fnArgs.isEmpty()) {
                throw new CommandLine.ParameterException(cl, "--fn-arg is for --fn functions");
            }
            if (topK < 1 || modelThreads < 1) {
                throw new IllegalArgumentException(topK < 1 ? "--top-k must be at least 1"
                        : "--model-threads must be at least 1");
            }
            return new FunctionSpec.Model(model != null ? model : BundledModel.MINILM.id(), task, maxLength, topK,
                    modelThreads, cacheDir);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** The output directory must not exist, nor hold or be an input. */
    private void checkOutput(Configuration hadoop, List<String> files) throws OutputError {
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            org.apache.hadoop.fs.Path qualified = fs.makeQualified(out);
            if (fs.exists(qualified)) {
                throw new OutputError("-o " + output + " exists; the job writes a new directory: choose another name "
                        + "or remove it");
            }
            String prefix = qualified.toString() + "/";
            for (String f : files) {
                if (f.startsWith(prefix)) {
                    throw new OutputError("-o " + output + " would hold the input " + f);
                }
            }
        } catch (IOException e) {
            throw new OutputError("-o " + output + ": " + e.getMessage());
        }
    }

    private static final class OutputError extends Exception {
        OutputError(String message) {
            super(message);
        }
    }

    private static int fail(PrintWriter err, int code, String message) {
        err.println("batchwise: " + message);
        err.flush();
        return code;
    }

    private static List<String> visible(String[] columns) {
        return List.of(columns).stream().filter(c -> !JobInputs.ORDER.contains(c) && !c.equals(BatchTransform.CORRUPT))
                .toList();
    }

    /** A column list in a message without the job's hidden columns. */
    private static String visibleMessage(String message) {
        String m = message;
        for (String hidden : JobInputs.ORDER) {
            m = m.replace(", " + hidden, "");
        }
        return m.replace(", " + BatchTransform.CORRUPT, "");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }

    private Map<String, Object> settings(SparkSession spark, FunctionSpec ref, BatchOptions b, int tasks,
            InputFormat inputFormat, String outFormat) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("master", spark.sparkContext().master());
        if (ref instanceof FunctionSpec.Model m) {
            s.put("function", m.name());
            s.put("task", m.task().label());
            s.put("model_threads", m.threads());
        } else {
            s.put("function", ((FunctionSpec.Named) ref).name());
        }
        s.put("max_batch_size", b.maxBatchSize());
        s.put("group_by_length", b.policy(ref.isModel()).groupByWeight());
        s.put("lookahead", b.policy(ref.isModel()).lookahead());
        s.put("partitions", tasks);
        s.put("ordered", ordered);
        s.put("input_format", inputFormat.label());
        s.put("output_format", outFormat);
        return s;
    }

    private static String table(Map<String, Object> s) {
        return String.format(Locale.ROOT, "%d records, %d failed, in %.2f s (%.1f records/s)%n"
                        + "batches     %d, mean size %.2f; %d retry calls after failures%n"
                        + "compute     %.2f s in calls, %.2f s of it in the model, summed over the tasks%n"
                        + "start-up    %.2f s to the Spark session%n",
                s.get("records"), s.get("failed"), s.get("seconds"), s.get("throughput_per_second"), s.get("batches"),
                s.get("mean_batch_size"), s.get("retry_calls"), s.get("compute_seconds"), s.get("model_seconds"),
                s.get("session_seconds"));
    }
}
