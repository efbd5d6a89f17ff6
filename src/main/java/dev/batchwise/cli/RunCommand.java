package dev.batchwise.cli;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.pipeline.OnError;
import dev.batchwise.run.Console;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.Plugins;
import dev.batchwise.run.RunException;
import dev.batchwise.run.RunSession;
import dev.batchwise.run.RunSpec;
import dev.batchwise.run.Style;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.util.Bytes;
import dev.batchwise.util.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code batchwise run}: the options, through their converters (durations, sizes, choices), to a
 * {@link RunSpec}; a {@link RunSession} runs it; its exit status is the command's. A mistake in the
 * options is a usage error (exit 2); a run that cannot start exits with its {@link RunException}'s code.
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
    List<Path> files = new ArrayList<>();

    @ArgGroup(validate = false, heading = "%nInput:%n", order = 1)
    RunOptions.RunInputOptions input = new RunOptions.RunInputOptions();

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
        java.time.Instant startedAt = java.time.Instant.now();
        RunSpec run = runSpec();
        Console console = new Console(spec.commandLine().getErr(), Style.of(io.env(), io.stderrIsTerminal()),
                stats.quiet);
        boolean isModel = function.name == null;
        boolean grouping = batching.groupByLength != null ? batching.groupByLength
                : isModel && run.arrival() instanceof ArrivalSpec.Burst;
        for (String w : IgnoredOptions.of(spec.commandLine().getParseResult(), new IgnoredOptions.Mode(!isModel,
                model.task.label(), run.arrival() instanceof ArrivalSpec.OpenLoop o && o.poisson(), grouping))) {
            console.warning(w);
        }
        if (failures.resume && output.file != null && Files.isRegularFile(output.file)
                && !Files.exists(dev.batchwise.run.RunOutput.partialOf(output.file), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            // an earlier run finished this output (FILE.partial is renamed to FILE only then)
            console.note(output.file + " is complete: the run that wrote it finished, so there is nothing to resume "
                    + "(run without --resume to run it again)");
            return ExitCodes.OK;
        }
        if (io.stdinIsTerminal() && run.inputs().stream().anyMatch(Input::isStdin)) {
            console.note("reading records from the terminal: type them, one per line, then Ctrl-D to end "
                    + "(or name an input FILE)");
        }
        try {
            return new RunSession(run, io.stdin(), io.stdout(), io.env(), console, io.clock(), io.signals())
                    .withIdentity(RunIdentity.of(spec.commandLine().getParseResult().originalArgs(), run.inputs(),
                            startedAt))
                    .run().exitCode();
        } catch (RunException e) {
            throw asCommandLineError(e);
        }
    }

    private RuntimeException asCommandLineError(RunException e) {
        return e.optionMistake() ? new CommandLine.ParameterException(spec.commandLine(), e.getMessage())
                : new UserException(e.exitCode(), e.getMessage(), e);
    }

    /** Validates the options into a run spec; a mistake is a usage error (exit 2). */
    RunSpec runSpec() {
        checkRanges();
        List<String> names = files.stream().map(Path::toString).toList();
        CommandLineHints.checkSpacedUnits(spec.commandLine(), names);
        List<Input> inputs = new ArrayList<>();
        for (String f : names.isEmpty() ? List.of("-") : names) {
            inputs.add(Input.of(f));
        }
        if (inputs.stream().filter(Input::isStdin).count() > 1) {
            throw mistake("standard input ('-') can be given only once");
        }
        for (Map.Entry<String, String> m : input.mapping.entrySet()) {
            if (m.getValue().isBlank()) {
                throw mistake("--input " + m.getKey() + ": write PARAM=COLUMN, e.g. --input " + m.getKey() + "=review");
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
            throw mistake("--max-record-size: " + e.getMessage());
        }
        long maxDelay = duration("--max-delay", batching.maxDelay).toNanos();
        long timeout = duration("--timeout", batching.timeout).toNanos();
        Duration grace = duration("--grace", failures.grace);
        OnError onError = onError();
        ArrivalSpec arrival = arrival();
        FunctionSpec fn = functionSpec();
        int workers = batching.workers != null ? batching.workers : RunSpec.defaultWorkers(fn, MODEL_WORKERS);
        OutputFormat outputFormat = output.format;
        if (outputFormat == null) {
            OutputFormat byName = output.file == null ? null : OutputFormat.fromFileName(output.file.toString());
            outputFormat = byName != null ? byName : OutputFormat.JSONL;
        }
        try {
            return new RunSpec(inputs, input.format, readerOptions, input.mapping, input.idColumn, fn, arrival,
                    new RunSpec.Batching(batching.maxBatchSize, maxDelay, batching.maxBatchTokens,
                            batching.groupByLength, batching.lookahead, timeout, batching.queueCapacity),
                    workers, onError, grace, failures.grace,
                    new RunSpec.OutputSettings(output.file, outputFormat, output.withTiming, failures.errors,
                            stats.statsJson, failures.resume, stats.expectRecords, stats.quiet,
                            !stats.noProgress && !(io.stdoutSharesTerminal() && output.file == null)),
                    input.limit == null ? 0 : input.limit, output.keep);
        } catch (IllegalArgumentException e) {
            throw mistake(e.getMessage());
        }
    }

    private FunctionSpec functionSpec() {
        if (function.name != null && model.spec != null) {
            throw mistake("--fn and --model exclude each other: run a function or a model");
        }
        if (function.name != null) {
            return new FunctionSpec.Named(function.name, function.args,
                    function.plugins.stream().map(Path::toString).toList());
        }
        if (!function.args.isEmpty()) {
            throw mistake("--fn-arg is for --fn functions; a model takes --task, --max-length and the other model "
                    + "options");
        }
        return new FunctionSpec.Model(model.spec, model.task, model.maxLength, model.topK, model.threads,
                model.cacheDir == null ? null : model.cacheDir.toString());
    }

    private OnError onError() {
        return switch (failures.onError.toLowerCase(Locale.ROOT)) {
            case "continue" -> OnError.CONTINUE;
            case "stop" -> OnError.STOP;
            default -> throw mistake("--on-error: '" + failures.onError + "' is not one of continue, stop");
        };
    }

    private ArrivalSpec arrival() {
        String mode = arrivals.mode == null ? null : arrivals.mode.toLowerCase(Locale.ROOT);
        if (mode != null && !List.of("burst", "constant", "poisson").contains(mode)) {
            throw mistake("--arrival: '" + arrivals.mode
                    + "' is not one of burst, constant, poisson (closed-loop clients: --concurrency N)");
        }
        if (arrivals.concurrency != null && arrivals.rate != null) {
            throw mistake("--concurrency (closed loop) and --rate (open loop) exclude each other: pick one");
        }
        try {
            if (arrivals.concurrency != null) {
                if (mode != null) {
                    throw mistake("--arrival " + mode + " does not go with --concurrency: "
                            + "N closed-loop clients send as their previous records return");
                }
                return new ArrivalSpec.ClosedLoop(arrivals.concurrency);
            }
            if (arrivals.rate != null) {
                if ("burst".equals(mode)) {
                    throw mistake("--arrival burst does not go with --rate: use --arrival constant or poisson");
                }
                return new ArrivalSpec.OpenLoop(arrivals.rate, "poisson".equals(mode), arrivals.seed);
            }
        } catch (IllegalArgumentException e) {
            throw mistake(e.getMessage());
        }
        if ("constant".equals(mode) || "poisson".equals(mode)) {
            throw mistake("--arrival " + mode + " needs --rate PER_SECOND");
        }
        return new ArrivalSpec.Burst();
    }

    /** The built-in functions and those of the plugin jars, for {@code batchwise models}. */
    static FunctionRegistry registry(List<Path> plugins) {
        try {
            return Plugins.registry(plugins);
        } catch (RunException e) {
            throw new UserException(e.exitCode(), e.getMessage(), e);
        }
    }

    private Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw mistake(option + ": " + e.getMessage());
        }
    }

    /**
     * The most records of the queue, and of closed-loop clients: the reorder window, which is
     * allocated when the run starts, grows with them (2 x (queue + workers x batch + clients)).
     */
    static final int MAX_QUEUE = 1_000_000;
    static final int MAX_BATCH = 65_536;
    static final int MAX_WORKERS = 256;
    static final int MAX_CLIENTS = 100_000;

    /**
     * Every numeric option against its documented range, before anything is made: an absurd value
     * is a usage error, never an allocation in proportion to it.
     */
    private void checkRanges() {
        range("-b/--max-batch-size", batching.maxBatchSize, 1, MAX_BATCH);
        if (batching.workers != null) {
            range("-w/--workers", batching.workers, 1, MAX_WORKERS);
        }
        range("--queue-capacity", batching.queueCapacity, 1, MAX_QUEUE);
        if (batching.lookahead != null) {
            range("--lookahead", batching.lookahead, 1, MAX_QUEUE);
        }
        range("--max-batch-tokens", batching.maxBatchTokens, 0, Integer.MAX_VALUE);
        if (arrivals.concurrency != null) {
            range("-c/--concurrency", arrivals.concurrency, 1, MAX_CLIENTS);
        }
        range("--top-k", model.topK, 1, 10_000);
        if (model.threads != null) {
            range("--model-threads", model.threads, 1, 1024);
        }
        if (model.maxLength != null) {
            range("--max-length", model.maxLength, 2, 1_000_000);
        }
        if (input.limit != null) {
            range("--limit", input.limit, 1, Long.MAX_VALUE);
        }
        if (stats.expectRecords != null) {
            range("--expect-records", stats.expectRecords, 0, Long.MAX_VALUE);
        }
    }

    private void range(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw mistake(option + ": " + value + " is out of range; it must be from " + String.format("%,d", min)
                    + " to " + String.format("%,d", max));
        }
    }

    private CommandLine.ParameterException mistake(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
