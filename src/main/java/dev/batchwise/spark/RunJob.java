package dev.batchwise.spark;

import dev.batchwise.model.ModelLoadException;
import dev.batchwise.options.BatchingOptions;
import dev.batchwise.options.EmbeddingOptions;
import dev.batchwise.options.FunctionOptions;
import dev.batchwise.options.InputOptions;
import dev.batchwise.options.MessageOptions;
import dev.batchwise.options.ModelOptions;
import dev.batchwise.options.OptionNames;
import dev.batchwise.options.OptionSections;
import dev.batchwise.options.Refusals;
import dev.batchwise.output.OutputException;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.run.RunException;
import dev.batchwise.run.RunIdentity;
import dev.batchwise.run.ModelFunctions;
import dev.batchwise.run.RunSpec;
import dev.batchwise.source.InputFormat;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Lines or Parquet part files into the output directory, report the stats as the command line does.
 * Its options are run's own declarations where the job takes them; it refuses the others with the
 * reason beside each declaration. Where a shared option does something else on Spark, its help says
 * so in {@code JobHelp.properties}. Thin: the work is in the transform.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        resourceBundle = "dev.batchwise.spark.JobHelp",
        description = """
                Run records through a model (the bundled all-MiniLM-L6-v2 unless told otherwise) or a batch function \
                on Spark, batched in each partition as the command line batches, and write one output record per \
                input record into a directory of part files. Stats go to standard error.""",
        footerHeading = "%nExample:%n",
        footer = "  spark-submit --class dev.batchwise.spark.Main JOB_JAR run --model minilm --input text=review "
                + "--id id 'in/*.jsonl' -o out/")
final class RunJob implements Callable<Integer>, Refusals.Refusing, OptionSections.Sectioned {

    private final Supplier<SparkSession> session;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = """
                    Input files, directories or globs (quote them for the shell), any Hadoop file system: .csv, \
                    .tsv, .jsonl, .txt, optionally .gz. Read in the order given; a glob's or a directory's files in \
                    name order.""")
    List<String> paths = new ArrayList<>();

    /** run's groups that the job takes, under run's headings: the rest of run's options are refused. */
    private final OptionSections options = new OptionSections()
            .section("Input (as in run)", new InputOptions())
            .section("Model (as in run)", new ModelOptions())
            .section("Embeddings (as in run)", new EmbeddingOptions())
            .section("Function (as in run)", new FunctionOptions())
            .section("Batching (as in run)", new BatchingOptions.Size(), new BatchingOptions.Queue())
            .section("Stats and messages (as in run)", new MessageOptions.StatsFile(), new MessageOptions.Quiet(),
                    new MessageOptions.Verbose());

    @Option(names = "--partitions", paramLabel = "N",
            description = """
                    Spread the records over N partitions (tasks) before running them. Default: Spark's default \
                    parallelism, when the input has fewer partitions.""")
    Integer partitions;

    @Option(names = "--ordered",
            description = """
                    Write the output in input order (part files in name order, rows in order within each); costs a \
                    sort of the input records.""")
    boolean ordered;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
            description = """
                    The output directory, which must not exist: Spark's part files go there.""")
    String output;

    @Option(names = "--output-format", paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl or parquet. Default: ${DEFAULT-VALUE}.")
    String outputFormat;

    RunJob(Supplier<SparkSession> session) {
        this.session = session;
    }

    @Override
    public OptionSections options() {
        return options;
    }

    @Override
    public Refusals.FrontEnd frontEnd() {
        return Refusals.FrontEnd.SPARK;
    }

    /** The job's run, through run's spec builder, which checks it. */
    RunSpec jobSpec() {
        RunSpec.Builder b = RunSpec.builder();
        b.input.handedOver = true; // Spark's readers read the inputs
        // an executor's tasks share its one loaded model, each task on a core of its own: one math thread
        b.model.threads = 1;
        b.batching.workers = 1; // a task runs one worker; more tasks run side by side (--partitions)
        options.applyTo(b);
        RunSpec job = b.build();
        if (job.function().generates()) {
            throw new SettingException("task", Phrase.of("the Spark job does not run {task} generate: a record's "
                    + "sampling is seeded from its position in the whole input, which a Spark task does not know (only "
                    + "its position in its partition), so its text would change with the partitioning; use batchwise "
                    + "run --task generate"));
        }
        return job;
    }

    @Override
    public Integer call() throws Exception {
        Instant startedAt = Instant.now();
        CommandLine cl = spec.commandLine();
        RunSpec job = jobSpec();
        if (ModelFunctions.isImageModel(job.function())) {
            throw new SettingException("model", Phrase.of("%s is an image model, which the Spark job does not run: "
                    + "its executors share one loaded text model, and an image model has no shared form yet; run it "
                    + "with batchwise run", job.function().label()));
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
        List<RunIdentity.InputSize> files = JobInputs.files(hadoop, paths);
        List<String> names = files.stream().map(RunIdentity.InputSize::name).toList();
        checkOutput(hadoop, names);
        InputFormat inputFormat = job.input().format() != null ? job.input().format() : JobInputs.formatOf(names);
        if (inputFormat == null) {
            throw new CommandLine.ParameterException(cl, "the input files' names do not say one format ("
                    + String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? ", ..." : "") + "): give it with --format");
        }
        if (inputFormat == InputFormat.OPENAI_BATCH) {
            throw new CommandLine.ParameterException(cl, "--format openai-batch: the Spark job does not read OpenAI "
                    + "batch files; run them with batchwise run");
        }
        Dataset<Row> in = JobInputs.read(spark, names, inputFormat, job.input().reader().header());
        String idColumn = job.input().idColumn();
        if (idColumn != null && !List.of(in.columns()).contains(idColumn)) {
            throw new SettingException("id", Phrase.of("{id}: no column '%s'; the columns are: %s", idColumn,
                    String.join(", ", visible(in.columns()))));
        }
        int tasks = partitions != null ? partitions : spark.sparkContext().defaultParallelism();
        Column[] order = JobInputs.ORDER.stream().map(functions::col).toArray(Column[]::new);
        if (ordered) {
            in = in.repartitionByRange(tasks, order).sortWithinPartitions(order);
        } else if (partitions != null || in.javaRDD().getNumPartitions() < tasks) {
            in = in.repartition(tasks);
        }
        JobStats stats = JobStats.register(spark.sparkContext());
        Dataset<Row> result = BatchTransform.apply(in, job.function(), job.batching(), job.input().mapping(), stats);
        write(result, in, idColumn, outFormat, job);
        JobReport report = new JobReport(job, stats.stats(System.nanoTime() - sessionReady),
                (sessionReady - start) / 1e9);
        List<String> commandLine = new ArrayList<>(List.of("batchwise-spark"));
        commandLine.addAll(cl.getParseResult().originalArgs());
        report.settings(spark.sparkContext().master(), tasks, ordered, inputFormat.label(), outFormat);
        return report.finish(cl.getErr(), new OptionNames(spec), RunIdentity.of(commandLine, files, startedAt));
    }

    /** Writes the part files: the outputs and {@code error} beside every input column, or beside the id column. */
    private void write(Dataset<Row> result, Dataset<Row> in, String idColumn, String outFormat, RunSpec job)
            throws FunctionStartException, RunException {
        List<Column> columns = new ArrayList<>();
        for (String c : result.columns()) {
            boolean hidden = JobInputs.ORDER.contains(c) || c.equals(BatchTransform.CORRUPT);
            boolean inputColumn = List.of(in.columns()).contains(c) && !c.equals(OutputColumns.ERROR);
            if (!hidden && (idColumn == null || !inputColumn || c.equals(idColumn))) {
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
                if (root instanceof FunctionStartException || root instanceof ModelLoadException
                        || root instanceof IllegalArgumentException) {
                    throw new FunctionStartException(job.function().label() + " cannot be set up on an executor: "
                            + root.getMessage(), root);
                }
            }
            throw new RunException(Phrase.of("the Spark job failed: %s; the output directory %s is incomplete",
                    firstLine(root.toString()), output), e);
        }
    }

    /** The output directory must not exist, nor hold or be an input. */
    private void checkOutput(Configuration hadoop, List<String> files) throws OutputException {
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            org.apache.hadoop.fs.Path qualified = fs.makeQualified(out);
            if (fs.exists(qualified)) {
                throw new OutputException(Phrase.of("{output<} %s exists; the job writes a new directory: choose "
                        + "another name or remove it", output), null);
            }
            String prefix = qualified.toString() + "/";
            for (String f : files) {
                if (f.startsWith(prefix)) {
                    throw new OutputException(Phrase.of("{output<} %s would hold the input %s", output, f), null);
                }
            }
        } catch (IOException e) {
            throw new OutputException(Phrase.of("{output<} %s: %s", output, e.getMessage()), e);
        }
    }

    private static List<String> visible(String[] columns) {
        return List.of(columns).stream().filter(c -> !JobInputs.ORDER.contains(c) && !c.equals(BatchTransform.CORRUPT))
                .toList();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl > 0 ? s.substring(0, nl) : s;
    }
}
