package dev.batchwise.cli;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.MappingException;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Bytes;
import dev.batchwise.util.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batchwise run}: options to an immutable {@link RunConfig}, the pipeline, the stats, the
 * exit code. Thin: the work is in the pipeline.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Run records through a batch function, the way an inference server's queue and dynamic batcher would, "
                    + "and write one output line per record, in input order. Timing stats go to standard error.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise run --fn trim-words samples/words.csv",
            "  cat samples/words.jsonl | batchwise run --fn trim-words --max-batch-size 16 --workers 2 -o out.jsonl",
            "  batchwise run --fn trim-words --fn-arg delay=5s --concurrency 16 samples/words.csv",
            "  batchwise run --fn echo --rate 200 --arrival poisson --max-delay 20ms --stats-json stats.json "
                    + "samples/sentences.txt",
        })
final class RunCommand implements Callable<Integer> {

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Inputs, read in turn: .csv, .tsv, .jsonl, .txt (optionally .gz). '-' or none: standard input.")
    List<String> files = new ArrayList<>();

    @ArgGroup(validate = false, heading = "%nInput:%n", order = 1)
    InputOptions input = new InputOptions();

    @ArgGroup(validate = false, heading = "%nModel (the default: --model minilm, sentence embeddings):%n", order = 2)
    ModelOptionsGroup model = new ModelOptionsGroup();

    @ArgGroup(validate = false, heading = "%nFunction (instead of a model):%n", order = 3)
    FunctionOptions function = new FunctionOptions();

    @ArgGroup(validate = false, heading = "%nArrivals (how the queue sees the records):%n", order = 4)
    ArrivalOptions arrivals = new ArrivalOptions();

    @ArgGroup(validate = false, heading = "%nBatching:%n", order = 5)
    BatchingOptions batching = new BatchingOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 6)
    OutputOptions output = new OutputOptions();

    @ArgGroup(validate = false, heading = "%nStats and messages:%n", order = 7)
    StatsOptions stats = new StatsOptions();

    RunCommand(Io io) {
        this.io = io;
    }

    static final class InputOptions {
        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
                description = "Input format: ${COMPLETION-CANDIDATES}. Default: from the file extension; for standard "
                        + "input and other names, jsonl if the first character is '{', else text.")
        InputFormat format;

        @Option(names = {"-i", "--input"}, paramLabel = "PARAM=COLUMN", mapFallbackValue = "",
                description = "Read the function's input PARAM from COLUMN (a CSV/TSV column or JSON field). "
                        + "By default a parameter reads the column of its own name; text input has one field, 'text'.")
        Map<String, String> mapping = new LinkedHashMap<>();

        @Option(names = "--id", paramLabel = "COLUMN",
                description = "Key each output line by this column's value instead of the record's sequence number.")
        String idColumn;

        @Option(names = "--no-header", negatable = false,
                description = "CSV/TSV inputs have no header row; columns are named by position: 1, 2, ...")
        boolean noHeader;

        @Option(names = "--ragged-rows",
                description = "Accept CSV/TSV rows with fewer or more fields than the header (missing fields are "
                        + "absent, extra ones ignored). Without it such a row is a failed record.")
        boolean raggedRows;

        @Option(names = "--max-record-size", paramLabel = "SIZE", defaultValue = "1MiB",
                description = "The longest line or record accepted; a longer one is a failed record. Default: ${DEFAULT-VALUE}.")
        String maxRecordSize;
    }

    static final class ModelOptionsGroup {
        @Option(names = {"-m", "--model"}, paramLabel = "NAME|PATH",
                description = "A bundled model: minilm (all-MiniLM-L6-v2, fp32; the default) or minilm-q (int8: about "
                        + "2x faster, but dynamic quantisation makes a record's embedding depend slightly on its "
                        + "batch-mates). Or a directory or file: model.onnx (ONNX Runtime) or model.pt (TorchScript, "
                        + "PyTorch) with tokenizer.json beside it, and optionally config.json (id2label, "
                        + "max_position_embeddings).")
        String spec;

        @Option(names = "--task", paramLabel = "TASK", defaultValue = "embed",
                description = "embed (mean pooling over the attention mask, unit length: an 'embedding' per record), "
                        + "classify (softmax over the logits: 'label' and 'score', labels from config.json), or raw "
                        + "(the model's first output as numbers). Default: ${DEFAULT-VALUE}.")
        Task task;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
                description = "For classify: also list the K most likely labels in 'top_k'. Default: ${DEFAULT-VALUE}.")
        int topK;

        @Option(names = "--max-length", paramLabel = "TOKENS",
                description = "Truncate each record to this many tokens (truncations are counted in the stats). "
                        + "Default: the model's: 256 for minilm, as sentence-transformers uses for it.")
        Integer maxLength;

        @Option(names = "--model-threads", paramLabel = "N",
                description = "Math threads of each worker's model. Default: the cores divided among the workers.")
        Integer threads;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Where model files and native libraries are extracted, once. Default: "
                        + "$BATCHWISE_CACHE_DIR, else $XDG_CACHE_HOME/batchwise, else ~/.cache/batchwise.")
        Path cacheDir;
    }

    static final class FunctionOptions {
        @Option(names = "--fn", paramLabel = "NAME",
                description = "Run a batch function instead of a model: trim-words, echo, or one from a --plugin jar "
                        + "('batchwise models' lists them).")
        String name;

        @Option(names = "--fn-arg", paramLabel = "KEY=VALUE",
                description = "A setting of the function, e.g. delay=5s (a simulated cost per call) or per-item=2ms.")
        Map<String, String> args = new LinkedHashMap<>();

        @Option(names = "--plugin", paramLabel = "JAR",
                description = "A jar with more functions (registered as dev.batchwise.fn.BatchFunctionProvider services).")
        List<Path> plugins = new ArrayList<>();
    }

    static final class ArrivalOptions {
        @Option(names = "--arrival", paramLabel = "MODE",
                description = "burst (default): every record as fast as the queue accepts it. constant or poisson: "
                        + "an open loop at --rate, with equal or exponential gaps.")
        String mode;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "N",
                description = "N closed-loop clients: each sends its next record when its previous one returns.")
        Integer concurrency;

        @Option(names = "--rate", paramLabel = "PER_SECOND",
                description = "Open loop: records arrive at this rate whether or not the system keeps up; latency "
                        + "counts from each record's scheduled time.")
        Double rate;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = "Seed of the Poisson arrival gaps. Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    static final class BatchingOptions {
        @Option(names = {"-b", "--max-batch-size"}, paramLabel = "N", defaultValue = "16",
                description = "The most records in one call of the function. Default: ${DEFAULT-VALUE}.")
        int maxBatchSize;

        @Option(names = "--max-delay", paramLabel = "DURATION", defaultValue = "0",
                description = "How long to hold a partial batch for more records, counted from the arrival of the "
                        + "oldest waiting record (as Triton does). 0 (default): send what is pending at once, never "
                        + "wait (as Gradio does).")
        String maxDelay;

        @Option(names = {"-w", "--workers"}, paramLabel = "N", defaultValue = "1",
                description = "Batches run in parallel, each worker with its own function instance "
                        + "(Gradio's concurrency_limit). Default: ${DEFAULT-VALUE}.")
        int workers;

        @Option(names = "--group-by-length", negatable = true,
                description = "Pick each batch's records among the pending ones of similar token length, so batches "
                        + "waste less on padding (the oldest record always goes first; output order is unchanged). "
                        + "Default: on for models under burst arrival, off otherwise.")
        Boolean groupByLength;

        @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "0",
                description = "Cap a batch's tokens, counting padding (records x longest record), as "
                        + "text-embeddings-inference does; a longer record still goes, alone. 0 (default): no cap.")
        long maxBatchTokens;

        @Option(names = "--lookahead", paramLabel = "N",
                description = "How many pending records length grouping may choose from; no record waits behind "
                        + "more than this many. Default: 8 x the max batch size.")
        Integer lookahead;

        @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "1024",
                description = "The most records waiting in the queue; when full, reading waits (never drops). "
                        + "Default: ${DEFAULT-VALUE}.")
        int queueCapacity;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s",
                description = "On Ctrl-C or SIGTERM, how long running batches may take to finish. Default: ${DEFAULT-VALUE}.")
        String grace;
    }

    static final class OutputOptions {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Write output lines here (under FILE.partial until the run completes). Default: standard output.")
        Path file;

        @Option(names = "--output-format", paramLabel = "FORMAT",
                description = "${COMPLETION-CANDIDATES}. Default: from the -o extension, else jsonl.")
        OutputFormat format;

        @Option(names = "--with-timing",
                description = "Add queue_ms, compute_ms, latency_ms and batch_size to each output line.")
        boolean withTiming;
    }

    static final class StatsOptions {
        @Option(names = "--stats-json", paramLabel = "FILE", description = "Also write the stats as JSON to FILE.")
        Path statsJson;

        @Option(names = {"-q", "--quiet"}, description = "Print no stats table, progress or warnings on standard error.")
        boolean quiet;

        @Option(names = "--no-progress", negatable = false,
                description = "No live progress line (it shows only when standard error is a terminal anyway).")
        boolean noProgress;

        @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
        boolean verbose;
    }

    @Override
    public Integer call() throws Exception {
        RunConfig config = config();
        try {
            return call(config);
        } finally {
            closeQuietly(config.function());
        }
    }

    /** Releases what a function holds for the run (a model's tokenizer). */
    private static void closeQuietly(BatchFunctionFactory factory) {
        if (factory instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the run is over; nothing left to report it to
            }
        }
    }

    private int call(RunConfig config) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        OutputTarget target = output.file == null ? OutputTarget.stdout(io.stdout()) : OutputTarget.file(output.file);
        Pipeline pipeline = new Pipeline(config, Clock.SYSTEM, Pipeline.Observer.NONE);
        int[] signalExit = {0};
        Outcome outcome;
        try (AutoCloseable signals = io.signals().install(code -> {
                    signalExit[0] = code;
                    pipeline.requestStop();
                });
                ProgressLine progress = io.stderrIsTerminal() && !stats.quiet && !stats.noProgress
                        ? new ProgressLine(err, pipeline::written, pipeline::failed) : null) {
            outcome = pipeline.run(io.stdin(), target.stream(), warning -> {
                if (!stats.quiet) {
                    synchronized (err) {
                        err.println("batchwise: warning: " + warning);
                        err.flush();
                    }
                }
            });
        } catch (InputException e) {
            target.close();
            throw new UserException(ExitCodes.INPUT, e.getMessage(), e);
        } catch (MappingException e) {
            target.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (FunctionStartException e) {
            target.close();
            throw new UserException(ExitCodes.FUNCTION, e.getMessage(), e);
        }
        return finish(config, outcome, target, signalExit[0], err);
    }

    private int finish(RunConfig config, Outcome outcome, OutputTarget target, int signalExit, PrintWriter err)
            throws IOException {
        int code;
        String message = outcome.message();
        switch (outcome.ending()) {
            case COMPLETED -> code = outcome.stats().failed() > 0 ? ExitCodes.RECORDS_FAILED : ExitCodes.OK;
            case STOPPED -> code = signalExit != 0 ? signalExit : ExitCodes.INTERRUPTED;
            case INPUT_FAILED -> code = ExitCodes.INPUT;
            case OUTPUT_FAILED -> code = ExitCodes.OUTPUT;
            default -> throw new AssertionError(outcome.ending());
        }
        if (outcome.ending() == Outcome.Ending.COMPLETED) {
            target.commit();
        } else {
            try {
                target.close();
            } catch (IOException e) {
                // the output failed already; that is what gets reported
            }
            if (target.file() != null && outcome.ending() != Outcome.Ending.OUTPUT_FAILED) {
                message += "; the " + outcome.written() + " records written are in " + target.partial();
            }
        }
        if (!stats.quiet) {
            synchronized (err) {
                err.print(StatsReport.table(outcome.stats()));
                if (message != null) {
                    err.println("batchwise: " + message);
                } else if (code == ExitCodes.RECORDS_FAILED) {
                    err.println("batchwise: " + outcome.stats().failed() + " of " + outcome.stats().records()
                            + " records failed; see their \"error\" in the output");
                }
                err.flush();
            }
        } else if (message != null && outcome.ending() != Outcome.Ending.STOPPED) {
            err.println("batchwise: " + message);
            err.flush();
        }
        if (stats.statsJson != null) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("exit_code", code);
            extra.put("ending", outcome.ending().name().toLowerCase(Locale.ROOT));
            extra.put("settings", settings(config));
            try {
                StatsReport.writeJson(StatsReport.json(outcome.stats(), extra), stats.statsJson);
            } catch (IOException e) {
                throw new UserException(ExitCodes.OUTPUT, "cannot write --stats-json " + stats.statsJson + ": "
                        + e.getMessage(), e);
            }
        }
        return code;
    }

    private static Map<String, Object> settings(RunConfig c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("function", c.function().name());
        s.put("max_batch_size", c.policy().maxBatchSize());
        s.put("max_delay_ms", c.policy().maxDelayNanos() / 1e6);
        s.put("workers", c.workers());
        s.put("queue_capacity", c.queueCapacity());
        if (c.arrival() instanceof ArrivalSpec.ClosedLoop cl) {
            s.put("arrival", "closed");
            s.put("concurrency", cl.clients());
        } else if (c.arrival() instanceof ArrivalSpec.OpenLoop o) {
            s.put("arrival", o.poisson() ? "poisson" : "constant");
            s.put("rate_per_second", o.ratePerSecond());
            if (o.poisson()) {
                s.put("seed", o.seed());
            }
        } else {
            s.put("arrival", "burst");
        }
        return s;
    }

    /** Validates the options into a run config; a mistake is a usage error (exit 2). */
    RunConfig config() {
        CommandLine cl = spec.commandLine();
        List<Input> inputs = new ArrayList<>();
        for (String f : files.isEmpty() ? List.of("-") : files) {
            inputs.add(Input.of(f));
        }
        if (inputs.stream().filter(Input::isStdin).count() > 1) {
            throw new CommandLine.ParameterException(cl, "standard input ('-') can be given only once");
        }
        for (Map.Entry<String, String> m : input.mapping.entrySet()) {
            if (m.getValue().isBlank()) {
                throw new CommandLine.ParameterException(cl, "--input " + m.getKey() + ": write PARAM=COLUMN, e.g. --input "
                        + m.getKey() + "=review");
            }
        }
        ReaderOptions readerOptions;
        try {
            long size = Bytes.parse(input.maxRecordSize);
            if (size < 1 || size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("must be from 1 byte to 2 GiB");
            }
            readerOptions = new ReaderOptions((int) size, !input.noHeader, input.raggedRows);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--max-record-size: " + e.getMessage());
        }
        long maxDelay = duration("--max-delay", batching.maxDelay).toNanos();
        ArrivalSpec arrival = arrival();
        BatchFunctionFactory factory = function();
        BatchPolicy policy;
        try {
            boolean weighed = factory instanceof RecordPreparer;
            boolean group = batching.groupByLength != null ? batching.groupByLength
                    : weighed && arrival instanceof ArrivalSpec.Burst;
            int lookahead = batching.lookahead != null ? batching.lookahead
                    : (int) Math.min(Math.max(1, batching.queueCapacity), 8L * Math.max(1, batching.maxBatchSize));
            policy = new BatchPolicy(batching.maxBatchSize, maxDelay, batching.maxBatchTokens, group,
                    Math.max(lookahead, batching.maxBatchSize));
            if (batching.lookahead != null && batching.lookahead < batching.maxBatchSize) {
                throw new IllegalArgumentException("--lookahead (" + batching.lookahead
                        + ") must be at least the max batch size (" + batching.maxBatchSize + ")");
            }
        } catch (IllegalArgumentException e) {
            closeQuietly(factory);
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        OutputFormat outputFormat = output.format;
        if (outputFormat == null) {
            OutputFormat byName = output.file == null ? null : OutputFormat.fromFileName(output.file.toString());
            outputFormat = byName != null ? byName : OutputFormat.JSONL;
        }
        try {
            return new RunConfig(inputs, input.format, readerOptions, factory, input.mapping, input.idColumn, arrival,
                    policy, batching.workers, batching.queueCapacity, outputFormat, output.withTiming,
                    duration("--grace", batching.grace));
        } catch (IllegalArgumentException | CommandLine.ParameterException e) {
            closeQuietly(factory);
            throw e instanceof CommandLine.ParameterException p ? p : new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private ArrivalSpec arrival() {
        CommandLine cl = spec.commandLine();
        String mode = arrivals.mode == null ? null : arrivals.mode.toLowerCase(Locale.ROOT);
        if (mode != null && !List.of("burst", "constant", "poisson").contains(mode)) {
            throw new CommandLine.ParameterException(cl, "--arrival: '" + arrivals.mode
                    + "' is not one of burst, constant, poisson (closed-loop clients: --concurrency N)");
        }
        if (arrivals.concurrency != null && arrivals.rate != null) {
            throw new CommandLine.ParameterException(cl, "--concurrency (closed loop) and --rate (open loop) "
                    + "exclude each other: pick one");
        }
        try {
            if (arrivals.concurrency != null) {
                if (mode != null) {
                    throw new CommandLine.ParameterException(cl, "--arrival " + mode + " does not go with --concurrency: "
                            + "N closed-loop clients send as their previous records return");
                }
                return new ArrivalSpec.ClosedLoop(arrivals.concurrency);
            }
            if (arrivals.rate != null) {
                if ("burst".equals(mode)) {
                    throw new CommandLine.ParameterException(cl, "--arrival burst does not go with --rate: "
                            + "use --arrival constant or poisson");
                }
                return new ArrivalSpec.OpenLoop(arrivals.rate, "poisson".equals(mode), arrivals.seed);
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if ("constant".equals(mode) || "poisson".equals(mode)) {
            throw new CommandLine.ParameterException(cl, "--arrival " + mode + " needs --rate PER_SECOND");
        }
        return new ArrivalSpec.Burst();
    }

    private BatchFunctionFactory function() {
        CommandLine cl = spec.commandLine();
        if (function.name != null && model.spec != null) {
            throw new CommandLine.ParameterException(cl, "--fn and --model exclude each other: run a function or a model");
        }
        if (function.name == null) {
            if (!function.args.isEmpty()) {
                throw new CommandLine.ParameterException(cl, "--fn-arg is for --fn functions; a model takes --task, "
                        + "--max-length and the other model options");
            }
            return textModel(model.spec == null ? BundledModel.MINILM.id() : model.spec);
        }
        BatchFunctionProvider provider;
        try {
            provider = registry(function.plugins).get(function.name);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        try {
            return provider.configure(new FnArgs(function.name, function.args));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            throw new UserException(ExitCodes.FUNCTION, "function '" + function.name + "' cannot be set up: " + e, e);
        }
    }

    private TextModel textModel(String name) {
        CommandLine cl = spec.commandLine();
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = model.threads != null ? model.threads : Math.max(1, cores / Math.max(1, batching.workers));
        ModelCache cache = new ModelCache(model.cacheDir != null ? model.cacheDir : ModelCache.defaultRoot(io.env()));
        ModelOptions options;
        try {
            options = new ModelOptions(model.task, model.maxLength == null ? 0 : model.maxLength, model.topK, threads,
                    cache);
            if (model.maxLength != null && model.maxLength < 2) {
                throw new IllegalArgumentException("--max-length must be at least 2 (room for the special tokens)");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        try {
            return TextModel.open(ModelFiles.resolve(name, cache), options);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        } catch (ModelLoadException e) {
            throw new UserException(ExitCodes.FUNCTION, e.getMessage(), e);
        }
    }

    static FunctionRegistry registry(List<Path> plugins) {
        try {
            return FunctionRegistry.load(Plugins.loader(plugins));
        } catch (IllegalStateException e) {
            throw new UserException(ExitCodes.FUNCTION, e.getMessage(), e);
        }
    }

    private Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
