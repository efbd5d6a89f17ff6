package dev.batchwise.cli;

import dev.batchwise.util.Text;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.batchwise.model.TextModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.MappingException;
import dev.batchwise.pipeline.OnError;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumeException;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Bytes;
import dev.batchwise.util.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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
            "Run records through a model (the bundled all-MiniLM-L6-v2 unless told otherwise) or a batch function, "
                    + "the way an inference server's queue and dynamic batcher would, and write one output line per "
                    + "record, in input order. Timing stats go to standard error.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise run samples/sentences.txt",
            "  batchwise run --input text=review --id id -o vectors.jsonl samples/reviews.csv",
            "  batchwise run --model ./my-model/ --task classify --id ticket samples/tickets.jsonl",
            "  batchwise run --fn trim-words --fn-arg delay=5s --concurrency 16 samples/words.csv",
            "  cat samples/words.jsonl | batchwise run --fn trim-words --workers 2 -o out.jsonl",
            "  batchwise run --rate 50 --arrival poisson --max-delay 20ms --stats-json stats.json "
                    + "samples/sentences.txt",
        })
final class RunCommand implements Callable<Integer> {

    /**
     * The most model workers by default. On CPU, single-threaded model instances side by side outrun
     * one instance with as many threads (measured on 2 cores at batch 16 to 32: 2 workers x 1 thread
     * about 10% faster than 1 x 2); beyond a few, memory grows faster than throughput.
     */
    private static final int MODEL_WORKERS = 4;

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Inputs, read in turn: .csv, .tsv, .jsonl, .txt (optionally .gz). '-' or none: standard input.")
    List<String> files = new ArrayList<>();

    @ArgGroup(validate = false, heading = "%nInput:%n", order = 1)
    RunOptions.InputOptions input = new RunOptions.InputOptions();

    @ArgGroup(validate = false, heading = "%nModel (the default: --model minilm, sentence embeddings):%n", order = 2)
    RunOptions.ModelOptionsGroup model = new RunOptions.ModelOptionsGroup();

    @ArgGroup(validate = false, heading = "%nFunction (instead of a model):%n", order = 3)
    RunOptions.FunctionOptions function = new RunOptions.FunctionOptions();

    @ArgGroup(validate = false, heading = "%nArrivals (how the queue sees the records):%n", order = 4)
    RunOptions.ArrivalOptions arrivals = new RunOptions.ArrivalOptions();

    @ArgGroup(validate = false, heading = "%nBatching:%n", order = 5)
    RunOptions.BatchingOptions batching = new RunOptions.BatchingOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 6)
    RunOptions.OutputOptions output = new RunOptions.OutputOptions();

    @ArgGroup(validate = false, heading = "%nFailures, interrupts and resuming:%n", order = 7)
    RunOptions.FailureOptions failures = new RunOptions.FailureOptions();

    @ArgGroup(validate = false, heading = "%nStats and messages:%n", order = 8)
    RunOptions.StatsOptions stats = new RunOptions.StatsOptions();

    RunCommand(Io io) {
        this.io = io;
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
        Style style = Style.of(io);
        checkFiles(config);
        ResumePoint resume = ResumePoint.START;
        ObjectNode fingerprint = null;
        boolean continuing = false; // appending to FILE.partial and the errors file
        if (output.file != null) {
            fingerprint = fingerprint(config);
            Path partial = OutputTarget.partialOf(output.file);
            boolean leftOver = Files.exists(partial);
            if (failures.resume && leftOver) {
                resume = Resume.prepare(partial, fingerprint, config.outputFormat(), failures.errors);
                continuing = true;
                if (!stats.quiet) {
                    err.println("batchwise: resuming " + Text.printable(partial.toString()) + ": "
                            + resume.recordsDone()
                            + " records are done; running from record " + (resume.recordsDone() + 1));
                }
            } else if (!stats.quiet && failures.resume) {
                err.println("batchwise: " + style.warning("warning:") + " nothing to resume (there is no "
                        + Text.printable(partial.toString())
                        + "); running from the start");
            } else if (!stats.quiet && leftOver) {
                err.println("batchwise: " + style.warning("warning:") + " starting " + Text.printable(partial.toString())
                        + " afresh; --resume would have continued it");
            }
        }
        try (ErrorsFile errors = failures.errors == null ? null : new ErrorsFile(failures.errors, continuing)) {
            ObjectNode meta = fingerprint;
            OutputTarget target = output.file == null ? OutputTarget.stdout(io.stdout())
                    : OutputTarget.file(output.file, continuing, errors == null ? null : errors.writer()::flush,
                            continuing ? null : () -> Resume.writeMeta(OutputTarget.partialOf(output.file), meta));
            boolean progressShown = style.interactive() && !stats.quiet && !stats.noProgress;
            Pipeline pipeline = new Pipeline(config, Clock.SYSTEM,
                    stats.quiet ? Pipeline.Observer.NONE : new FailureLines(err, style));
            AtomicInteger signalExit = new AtomicInteger(); // set by the signal handler's thread
            Outcome outcome;
            try (AutoCloseable signals = io.signals().install(code -> {
                        signalExit.set(code);
                        if (!stats.quiet) {
                            synchronized (err) {
                                err.println();
                                err.println("batchwise: stopping: no more records are read; the batches in flight "
                                        + "have " + failures.grace + " (--grace) to finish. Signal again to stop at once.");
                                err.flush();
                            }
                        }
                        pipeline.requestStop();
                    });
                    ProgressLine progress = progressShown
                            ? new ProgressLine(err, pipeline::written, pipeline::failed) : null) {
                outcome = pipeline.run(io.stdin(), target, errors == null ? null : errors.writer(), warning -> {
                    if (!stats.quiet) {
                        synchronized (err) {
                            err.println("batchwise: " + style.warning("warning:") + " " + Text.printable(warning));
                            err.flush();
                        }
                    }
                }, resume);
            } catch (InputException e) {
                target.close();
                throw new UserException(ExitCodes.INPUT, e.getMessage(), e);
            } catch (MappingException e) {
                target.close();
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            } catch (ResumeException e) {
                target.close();
                throw new UserException(ExitCodes.USAGE, e.getMessage(), e);
            } catch (FunctionStartException e) {
                target.close();
                throw new UserException(ExitCodes.FUNCTION, e.getMessage(), e);
            } catch (IOException e) {
                target.close();
                throw new UserException(ExitCodes.OUTPUT, Errors.describe(e), e);
            }
            return finish(config, pipeline, outcome, target, errors, resume, signalExit.get(), err, style);
        }
    }

    /** The output, the errors file and the inputs must be different files. */
    private void checkFiles(RunConfig config) {
        CommandLine cl = spec.commandLine();
        if (failures.resume && output.file == null) {
            throw new CommandLine.ParameterException(cl, "--resume continues an output file: give it with -o FILE");
        }
        if (failures.resume && config.inputs().stream().anyMatch(Input::isStdin)) {
            throw new CommandLine.ParameterException(cl, "--resume needs input files: standard input cannot be "
                    + "checked to be the input of the run being resumed");
        }
        if (failures.resume) {
            for (Input in : config.inputs()) {
                if (Files.exists(in.path()) && !Files.isDirectory(in.path()) && !Files.isRegularFile(in.path())) {
                    throw new CommandLine.ParameterException(cl, "--resume needs regular input files: " + in.name()
                            + " is not one (a pipe cannot be checked to be the input of the run being resumed)");
                }
            }
        }
        Path errors = failures.errors;
        if (errors == null) {
            return;
        }
        if (errors.toString().equals("-")) {
            throw new CommandLine.ParameterException(cl, "--errors needs a file name (standard output carries the "
                    + "output lines)");
        }
        OutputTarget.checkWritable(errors, "--errors ");
        if (output.file != null && (same(errors, output.file) || same(errors, OutputTarget.partialOf(output.file)))) {
            throw new CommandLine.ParameterException(cl, "--errors and -o name the same file, " + errors);
        }
        for (Input in : config.inputs()) {
            if (!in.isStdin() && same(errors, in.path())) {
                throw new CommandLine.ParameterException(cl, "--errors " + errors + " is an input; writing it would "
                        + "destroy it");
            }
        }
    }

    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What {@code FILE.partial.meta} records, and a resumed run must match: the options that shape
     * output lines, and the inputs.
     */
    private ObjectNode fingerprint(RunConfig config) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("--fn", function.name);
        s.put("--fn-arg", new TreeMap<>(function.args));
        if (config.function() instanceof TextModel m) {
            s.put("--model", model.spec == null ? m.files().name() : model.spec);
            s.put("--task", m.task().label());
            s.put("--top-k", model.topK);
            s.put("--max-length", m.maxLength());
        }
        s.put("--format", input.format == null ? null : input.format.label());
        s.put("--input", new TreeMap<>(input.mapping));
        s.put("--id", input.idColumn);
        s.put("--no-header", input.noHeader);
        s.put("--ragged-rows", input.raggedRows);
        s.put("--max-record-size", config.readerOptions().maxRecordBytes());
        s.put("--output-format", config.outputFormat().name().toLowerCase(Locale.ROOT));
        s.put("--with-timing", output.withTiming);
        s.put("--errors", failures.errors == null ? null : failures.errors.toAbsolutePath().normalize().toString());
        return Resume.fingerprint(s, config.inputs());
    }

    private int finish(RunConfig config, Pipeline pipeline, Outcome outcome, OutputTarget target, ErrorsFile errors,
            ResumePoint resume, int signalExit, PrintWriter err, Style style) throws IOException {
        int code;
        String message = outcome.message();
        boolean brokenPipe = outcome.ending() == Outcome.Ending.OUTPUT_FAILED && target.brokenPipe();
        switch (outcome.ending()) {
            case COMPLETED -> code = pipeline.abandoned() != null ? (signalExit != 0 ? signalExit : ExitCodes.FUNCTION)
                    : outcome.stats().failed() > 0 ? ExitCodes.RECORDS_FAILED : ExitCodes.OK;
            case STOPPED -> code = signalExit != 0 ? signalExit : ExitCodes.INTERRUPTED;
            case STOPPED_AT_FAILURE -> code = ExitCodes.RECORDS_FAILED;
            case INPUT_FAILED -> code = ExitCodes.INPUT;
            case OUTPUT_FAILED -> code = brokenPipe ? ExitCodes.OUTPUT_CLOSED : ExitCodes.OUTPUT;
            default -> throw new AssertionError(outcome.ending());
        }
        if (errors != null) {
            errors.runEnded();
        }
        if (outcome.ending() == Outcome.Ending.COMPLETED) {
            if (errors != null) {
                errors.close(); // before the output: a finished output never has an unfinished errors file
            }
            target.commit();
            if (pipeline.abandoned() != null) {
                // every record is written: the output is complete, but the function did not close
                message = pipeline.abandoned() + "; the output is complete"
                        + (target.file() != null ? " in " + target.file() : "");
            }
        } else {
            try {
                target.close();
            } catch (IOException e) {
                // the output failed already; that is what gets reported
            }
            if (target.file() != null && outcome.ending() != Outcome.Ending.OUTPUT_FAILED) {
                long done = resume.recordsDone() + outcome.written();
                message += "; the " + done + " records done are in " + target.partial()
                        + "; run the same command with --resume to continue";
            }
        }
        long recordsInOutput = resume.recordsDone() + outcome.written();
        if (stats.expectRecords != null && recordsInOutput != stats.expectRecords
                && (code == ExitCodes.OK || code == ExitCodes.RECORDS_FAILED)) {
            code = ExitCodes.UNEXPECTED_COUNT;
            message = "expected " + stats.expectRecords + " records (--expect-records), the output has "
                    + recordsInOutput;
        }
        message = message == null ? null : Text.printable(message);
        if (brokenPipe) {
            // the reader has all it wanted (| head): no error message, as for a process ended by SIGPIPE
            message = null;
        } else if (!stats.quiet) {
            synchronized (err) {
                String table = StatsReport.table(outcome.stats());
                int firstLine = table.indexOf('\n');
                err.print(style.bold(table.substring(0, firstLine)) + table.substring(firstLine));
                if (message != null) {
                    err.println("batchwise: " + (code == ExitCodes.INTERRUPTED || code == ExitCodes.TERMINATED
                            ? message : style.error(message)));
                } else if (code == ExitCodes.RECORDS_FAILED) {
                    err.println("batchwise: " + style.error(outcome.stats().failed() + " of " + outcome.stats().records()
                            + " records failed") + "; see their \"error\" in the output"
                            + (failures.errors != null ? " and in " + Text.printable(failures.errors.toString()) : ""));
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
            extra.put("ending", brokenPipe ? "output_closed" : outcome.ending().name().toLowerCase(Locale.ROOT));
            extra.put("settings", settings(config));
            extra.put("startup", startup(pipeline));
            if (resume.recordsDone() > 0) {
                extra.put("resumed_after_records", resume.recordsDone());
            }
            try {
                StatsReport.writeJson(StatsReport.json(outcome.stats(), extra), stats.statsJson);
            } catch (IOException e) {
                throw new UserException(ExitCodes.OUTPUT, "cannot write --stats-json " + stats.statsJson + ": "
                        + e.getMessage(), e);
            }
        }
        return code;
    }

    private OnError onError() {
        return switch (failures.onError.toLowerCase(Locale.ROOT)) {
            case "continue" -> OnError.CONTINUE;
            case "stop" -> OnError.STOP;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--on-error: '" + failures.onError
                    + "' is not one of continue, stop");
        };
    }

    /**
     * Seconds from the process start to the start of intake (everything loaded) and to the first
     * output line, or -1 for what did not happen.
     */
    private static Map<String, Object> startup(Pipeline pipeline) {
        Map<String, Object> s = new LinkedHashMap<>();
        java.time.Instant processStart = ProcessHandle.current().info().startInstant().orElse(null);
        s.put("ready_seconds", secondsSince(processStart, pipeline.intakeStarted()));
        s.put("first_output_seconds", secondsSince(processStart, pipeline.firstWritten()));
        return s;
    }

    private static double secondsSince(java.time.Instant from, java.time.Instant to) {
        if (from == null || to == null) {
            return -1;
        }
        return Math.round(java.time.Duration.between(from, to).toNanos() / 1e6) / 1e3;
    }

    private static Map<String, Object> settings(RunConfig c) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("function", c.function().name());
        s.put("max_batch_size", c.policy().maxBatchSize());
        s.put("max_delay_ms", c.policy().maxDelayNanos() / 1e6);
        if (c.policy().queueTimeoutNanos() > 0) {
            s.put("timeout_ms", c.policy().queueTimeoutNanos() / 1e6);
        }
        s.put("workers", c.workers());
        s.put("on_error", c.onError().name().toLowerCase(Locale.ROOT));
        s.put("queue_capacity", c.queueCapacity());
        s.put("group_by_length", c.policy().groupByWeight());
        if (c.policy().maxBatchWeight() > 0) {
            s.put("max_batch_tokens", c.policy().maxBatchWeight());
        }
        if (c.function() instanceof TextModel m) {
            s.put("model", m.files().name());
            s.put("engine", m.files().engine().djlName());
            s.put("task", m.task().label());
            s.put("max_length", m.maxLength());
            s.put("model_threads", m.threadsPerWorker());
        }
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
        long timeout = duration("--timeout", batching.timeout).toNanos();
        Duration grace = duration("--grace", failures.grace);
        OnError onError = onError();
        ArrivalSpec arrival = arrival();
        BatchFunctionFactory factory = function();
        BatchPolicy policy;
        try {
            boolean weighed = factory instanceof RecordPreparer;
            boolean group = batching.groupByLength != null ? batching.groupByLength
                    : weighed && arrival instanceof ArrivalSpec.Burst;
            if (batching.lookahead != null && batching.lookahead < batching.maxBatchSize) {
                throw new IllegalArgumentException("--lookahead (" + batching.lookahead
                        + ") must be at least the max batch size (" + batching.maxBatchSize + ")");
            }
            int lookahead = batching.lookahead != null ? batching.lookahead
                    : arrival instanceof ArrivalSpec.Burst ? batching.queueCapacity
                    : (int) Math.min(Math.max(1, batching.queueCapacity), 8L * Math.max(1, batching.maxBatchSize));
            policy = new BatchPolicy(batching.maxBatchSize, maxDelay, batching.maxBatchTokens, group,
                    Math.max(lookahead, batching.maxBatchSize), timeout);
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
                    policy, workers(), batching.queueCapacity, outputFormat, output.withTiming, grace, onError);
        } catch (IllegalArgumentException e) {
            closeQuietly(factory);
            throw new CommandLine.ParameterException(cl, e.getMessage());
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
        BatchFunctionFactory factory;
        try {
            factory = provider.configure(new FnArgs(function.name, function.args));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        } catch (Throwable e) {
            throw new UserException(ExitCodes.FUNCTION, "function '" + function.name + "' cannot be set up: "
                    + Plugins.describe(e) + Plugins.origin(provider), e);
        }
        String broken = Plugins.checkFactory(factory);
        if (broken != null) {
            throw new UserException(ExitCodes.FUNCTION, "function '" + function.name + "' cannot be set up: its "
                    + broken + " (a bug in the function" + Plugins.origin(provider) + ")");
        }
        return factory;
    }

    /** {@code --workers}, or its default: 1 for a function, one per core up to {@link #MODEL_WORKERS} for a model. */
    private int workers() {
        if (batching.workers != null) {
            return batching.workers;
        }
        return function.name != null ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), MODEL_WORKERS);
    }

    private TextModel textModel(String name) {
        CommandLine cl = spec.commandLine();
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = model.threads != null ? model.threads : Math.max(1, cores / Math.max(1, workers()));
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
