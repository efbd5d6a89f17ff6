package dev.batchwise.cli;

import dev.batchwise.bench.BenchJson;
import dev.batchwise.bench.BenchRun;
import dev.batchwise.bench.Compare;
import dev.batchwise.bench.Grid;
import dev.batchwise.bench.GridValues;
import dev.batchwise.bench.HtmlReport;
import dev.batchwise.bench.Load;
import dev.batchwise.bench.Machine;
import dev.batchwise.bench.Objective;
import dev.batchwise.bench.PointMeter;
import dev.batchwise.bench.PointSpecs;
import dev.batchwise.bench.RunTarget;
import dev.batchwise.bench.Setting;
import dev.batchwise.bench.Slo;
import dev.batchwise.bench.Sweep;
import dev.batchwise.bench.TextOutputs;
import dev.batchwise.options.ArrivalOptions;
import dev.batchwise.options.BatchingOptions;
import dev.batchwise.options.EmbeddingOptions;
import dev.batchwise.options.FunctionOptions;
import dev.batchwise.options.GenerationOptions;
import dev.batchwise.options.InputOptions;
import dev.batchwise.options.MessageOptions;
import dev.batchwise.options.ModelOptions;
import dev.batchwise.options.OptionNames;
import dev.batchwise.options.OptionSections;
import dev.batchwise.options.Refusals;
import dev.batchwise.options.SpecOptions;
import dev.batchwise.run.ExitStatus;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunSpec;
import dev.batchwise.source.InputFormat;
import dev.batchwise.terminal.Style;
import dev.batchwise.terminal.TerminalConsole;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code batchwise bench}: options to a grid, the sweep through the run layer, the outputs, the exit
 * code. The input, model, function, queue and seed options are run's own declarations, and each point
 * is a run of run's spec ({@link PointSpecs}); run's other options are refused, each with the reason
 * beside its declaration.
 */
@Command(
        name = "bench",
        resourceBundle = "dev.batchwise.cli.BenchHelp",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Find the fastest settings for an offline job (the default: max batch size x workers x model threads, "
                    + "all records offered at once), or, with --slo, --concurrency or --rate, the best settings for a "
                    + "server under load (max batch size, max delay, workers). Records are cycled from the inputs. The "
                    + "table goes to standard error; the recommendation, as one JSON line, to standard output.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise bench samples/sentences.txt",
            "  batchwise bench --offline -b 16,32 samples/sentences.txt",
            "  batchwise bench --fn echo --fn-arg delay=20ms -b 1,16 -c 16 samples/sentences.txt",
            "  batchwise bench --rate auto --slo p99=200ms --report bench.html samples/sentences.txt",
            "  batchwise bench --json new.json samples/sentences.txt && "
                    + "batchwise bench --compare old.json new.json --fail-if-slower 10",
        })
final class BenchCommand implements Callable<Integer>, Refusals.Refusing, OptionSections.Sectioned {

    private final Io io;

    private final OptionSections options = new OptionSections()
            .section("Grid (comma-separated lists)", new BenchOptions.GridOptions())
            .section("Choosing", new BenchOptions.ChoiceOptions())
            .section("Measuring each point", new BenchOptions.MeasureOptions())
            .section("Input (as in run)", new InputOptions(), new InputOptions.Reading())
            .section("Model (as in run)", new ModelOptions())
            .section("Embeddings (as in run)", new EmbeddingOptions(), new EmbeddingOptions.ChunkOutput())
            .section("Generation (--task generate, as in run; every point)", new GenerationOptions())
            .section("Function (as in run)", new FunctionOptions(), new FunctionOptions.Plugins())
            .section("Queue (as in run)", new BatchingOptions.Queue(), new BatchingOptions.Timeout())
            .section("Arrivals (as in run)", new ArrivalOptions.Seed())
            .section("Output", new BenchOptions.OutputOptions(), new MessageOptions.Quiet(),
                    new MessageOptions.NoProgress(), new MessageOptions.Verbose());
    private final BenchOptions.GridOptions grid = options.group(BenchOptions.GridOptions.class);
    private final BenchOptions.ChoiceOptions choice = options.group(BenchOptions.ChoiceOptions.class);
    private final BenchOptions.MeasureOptions measure = options.group(BenchOptions.MeasureOptions.class);
    private final BenchOptions.OutputOptions output = options.group(BenchOptions.OutputOptions.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Inputs, cycled for as long as each point runs: .csv, .tsv, .jsonl, .txt (optionally .gz).")
    List<String> files = new ArrayList<>();

    BenchCommand(Io io) {
        this.io = io;
    }

    @Override
    public Refusals.FrontEnd frontEnd() {
        return Refusals.FrontEnd.BENCH;
    }

    @Override
    public OptionSections options() {
        return options;
    }

    @Override
    public Integer call() throws Exception {
        boolean quiet = options.group(MessageOptions.Quiet.class).quiet();
        if (output.compare != null) {
            return BenchFiles.compare(output.compare, output.failIfSlower, quiet, spec.commandLine());
        }
        if (output.failIfSlower != null) {
            throw usage("--fail-if-slower goes with --compare A.json B.json");
        }
        List<Path> inputs = BenchFiles.inputs(files, spec.commandLine());
        InputFormat format = format(inputs);
        BenchFiles.check(Arrays.asList(output.csv, output.json, output.report), inputs);
        PointSpecs specs = new PointSpecs(this::runSettings, format);
        Sweep.Config config = config(specs);
        Style style = Style.of(io.env(), io.stderrIsTerminal());
        PrintWriter err = spec.commandLine().getErr();
        RunSpec base = specs.base();
        warnIgnored(base, style, quiet);
        RunTarget target = new RunTarget(specs, io.env(), inputs, format, Clock.SYSTEM,
                RunTarget.MIN_MARGIN_NANOS);
        Sweep.Result result;
        AtomicInteger signalExit = new AtomicInteger(); // set by the signal handler's thread
        // from the sweep to the last file written: a stop ends the sweep, and what it measured is still written
        AutoCloseable stop = io.signals().install(code -> {
            signalExit.set(code);
            BenchFiles.stopping(err, style);
            target.interrupt();
        });
        try {
            try (SweepProgress progress = new SweepProgress(err, style.interactive() && !quiet
                    && options.group(MessageOptions.NoProgress.class).progress())) {
                result = Sweep.run(target, config, progress);
            }
            String name = base.function() instanceof FunctionSpec.Named n ? n.name()
                    : ((FunctionSpec.Model) base.function()).name();
            List<String> command = new ArrayList<>(List.of("batchwise", "bench"));
            command.addAll(spec.commandLine().getParseResult().originalArgs());
            BenchRun run = new BenchRun(command, runArgs(), Machine.current(VersionProvider.version(),
                    RuntimeVersions.lines(BenchCommand.class.getClassLoader())), name, config.plan(), config.slo(),
                    config.objective(), base.batching().queueCapacity(), result,
                    base.batching().maxBatchTokens());
            if (!quiet) {
                err.print(TextOutputs.table(run));
                err.print(TextOutputs.servers(run));
                err.flush();
            }
            BenchFiles.write(output.csv, w -> TextOutputs.csv(run, w));
            BenchFiles.write(output.json, w -> w.write(com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .writerWithDefaultPrettyPrinter().writeValueAsString(BenchJson.json(run))));
            BenchFiles.write(output.report, w -> w.write(HtmlReport.html(run)));
            if (result.timedOut() != null) {
                // an error, so printed even under --quiet: the exit code alone would not say which point
                long bound = target.boundNanos(config.plan());
                int before = result.points().size() - 1;
                boolean generates = base.function().generates();
                err.println("batchwise: " + style.error("point " + result.timedOut().setting().key()
                        + (generates ? " timed out: the records running at its end did not finish generating (or a "
                                + "step did not return) within " : " timed out: a call of the function did not "
                                + "return within ") + Durations.format(bound)
                        + " (the point's "
                        + Durations.format(config.plan().budgetNanos())
                        + " of warm-up and windows, then as long again, "
                        + "at least " + Durations.format(RunTarget.MIN_MARGIN_NANOS) + "); the sweep stopped there, "
                        + "with " + before + " point" + (before == 1 ? "" : "s") + " measured before it"
                        + (generates ? "; give longer --window or --warmup, or a lower --max-tokens" : "")));
                err.flush();
            }
            if (signalExit.get() != 0) {
                BenchFiles.interrupted(err, style, result.points().size(), config.grid().size(), output);
            }
            // the recommendation for programs: one JSON line on standard output, even under --quiet
            PrintWriter out = spec.commandLine().getOut();
            out.print(dev.batchwise.bench.Recommendation.line(run));
            out.flush();
            return ExitStatus.ofSweep(signalExit.get(), result.timedOut() != null,
                    result.points().stream().anyMatch(p -> p.failed() > 0),
                    config.slo() != null && result.chosen() == null, result.chosen() != null && !result.confirmed());
        } finally {
            stop.close();
        }
    }

    /** A builder with this sweep's run settings: the options bench shares with run. */
    private RunSpec.Builder runSettings() {
        RunSpec.Builder b = RunSpec.builder();
        options.applyTo(b);
        return b;
    }

    /** The grid, the plan and the choice's rules, validated once; a mistake is a usage error. */
    private Sweep.Config config(PointSpecs specs) {
        try {
            CommandLine.ParseResult typed = spec.commandLine().getParseResult();
            boolean burst = "burst".equalsIgnoreCase(grid.arrival); // run's name for all records at once
            boolean serverAsked = choice.slo != null || grid.concurrency != null || grid.rates != null
                    || grid.arrival != null && !burst;
            if ((grid.offline || burst) && serverAsked) {
                throw new IllegalArgumentException("--offline tunes an offline job; --slo, --concurrency, --rate and "
                        + "--arrival tune a server under load: drop one or the other");
            }
            boolean offline = grid.offline || burst || !serverAsked;
            if (offline && typed.hasMatchedOption("--max-delay")) {
                throw new IllegalArgumentException("--max-delay: in an offline job every record is already waiting, "
                        + "so no delay holds a batch; to tune a server, give --concurrency or --rate");
            }
            RunSpec base = specs.base();
            // continuous batching admits records between steps: no delay holds them, so none is swept
            boolean continuous = base.function().generates() && base.function() instanceof FunctionSpec.Model m
                    && m.generation().batching() == dev.batchwise.generate.GenerationSpec.Batching.CONTINUOUS;
            if (continuous && typed.hasMatchedOption("--max-delay")) {
                throw new IllegalArgumentException("--max-delay: continuous batching admits records between decoding "
                        + "steps, so no delay holds them; drop it, or give --batching static");
            }
            int cores = Runtime.getRuntime().availableProcessors();
            List<Integer> batches = GridValues.integers("--max-batch-size",
                    offline && !typed.hasMatchedOption("--max-batch-size") ? BenchMode.OFFLINE_BATCH_SIZES
                            : grid.batchSizes);
            List<Long> delays = offline || continuous ? List.of(base.batching().maxDelayNanos())
                    : GridValues.durations("--max-delay", grid.delays);
            List<Integer> workers = grid.workers != null ? GridValues.integers("--workers", grid.workers)
                    : offline ? BenchMode.offlineWorkers(cores, base.workers()) : List.of(base.workers());
            List<Integer> threads = offline && base.function() instanceof FunctionSpec.Model m
                    && m.options().threads() == null ? BenchMode.offlineThreads(workers, cores) : List.of(0);
            String arrival = grid.arrival == null || burst ? "poisson" : grid.arrival.toLowerCase(Locale.ROOT);
            if (!arrival.equals("poisson") && !arrival.equals("constant")) {
                throw new IllegalArgumentException("--arrival: '" + grid.arrival + "' is not one of poisson, constant");
            }
            boolean poisson = arrival.equals("poisson");
            List<Load> loads = new ArrayList<>();
            if (grid.rates != null && grid.concurrency != null) {
                throw new IllegalArgumentException("--concurrency (closed loop) and --rate (open loop) exclude each "
                        + "other: pick one");
            }
            if (offline) {
                loads.add(new Load.Offline());
            } else if (grid.rates != null && !grid.rates.strip().equalsIgnoreCase("auto")) {
                GridValues.rates("--rate", grid.rates).forEach(r -> loads.add(new Load.Rate(r, poisson)));
            } else if (grid.rates == null) {
                String clients = grid.concurrency == null ? "1,8,32" : grid.concurrency;
                for (int c : GridValues.integers("--concurrency", clients)) {
                    if (c < 1) {
                        throw new IllegalArgumentException("--concurrency: " + c + " is not a client count (1 or more)");
                    }
                    loads.add(new Load.Clients(c));
                }
            }
            Slo slo = choice.slo == null ? null : Slo.parse(choice.slo);
            if (slo != null && slo.onGeneration() && !continuous) {
                throw new IllegalArgumentException("--slo " + slo.label() + ": time to first token and per output "
                        + "token are measured for --task generate with continuous batching only; here give p50, p95 "
                        + "or p99");
            }
            Objective objective = switch (choice.objective.toLowerCase(Locale.ROOT)) {
                case "throughput" -> Objective.THROUGHPUT;
                case "latency" -> Objective.LATENCY;
                default -> throw new IllegalArgumentException("--objective: '" + choice.objective
                        + "' is not one of throughput, latency");
            };
            long warmup = GridValues.duration("--warmup", measure.warmup);
            long window = GridValues.duration("--window", measure.window);
            if (window <= 0) {
                throw new IllegalArgumentException("--window must be longer than 0");
            }
            if (measure.maxWindows < 3) {
                throw new IllegalArgumentException("--max-windows must be at least 3 (a confidence interval needs 3 windows)");
            }
            if (measure.rounds < 1 || measure.rounds > measure.maxWindows) {
                throw new IllegalArgumentException("--rounds must be from 1 to --max-windows (" + measure.maxWindows
                        + ")");
            }
            if (offline && objective == Objective.LATENCY) {
                throw new IllegalArgumentException("--objective latency is for a server: an offline job is tuned for "
                        + "throughput; to tune a server, give --concurrency or --rate");
            }
            if (measure.searchSteps < 1) {
                throw new IllegalArgumentException("--search-steps must be at least 1");
            }
            Grid g = new Grid(batches, delays, workers, loads, threads, cores);
            for (Grid.Pool pool : g.pools()) {
                for (Setting s : g.settings(pool, new Load.Clients(1))) {
                    specs.point(s); // every point a run can take: run's spec builder checks it, as for any run
                }
            }
            int visitWindows = Math.max(1, Math.min(dev.batchwise.bench.Stability.WINDOWS,
                    measure.maxWindows / measure.rounds));
            return new Sweep.Config(g, new PointMeter.Plan(warmup, window, measure.maxWindows), slo, objective,
                    poisson, measure.searchSteps, measure.rounds, visitWindows);
        } catch (IllegalArgumentException e) {
            if (e instanceof dev.batchwise.util.SettingException) {
                throw e;
            }
            throw usage(e.getMessage());
        }
    }

    /** Warns of each option typed that no point uses, as run does (a model option for a function, say). */
    private void warnIgnored(RunSpec base, Style style, boolean quiet) {
        boolean grouping = Boolean.TRUE.equals(base.batching().groupByLength());
        boolean seedUsed = true; // every point draws its records in the order --seed gives
        TerminalConsole console = new TerminalConsole(spec.commandLine().getErr(), style, quiet, io.env(),
                new OptionNames(spec), false);
        String task = base.function() instanceof FunctionSpec.Model m ? m.options().task().label() : "";
        for (String w : IgnoredOptions.of(spec.commandLine().getParseResult(), new IgnoredOptions.Mode(
                !base.function().isModel(), task, seedUsed, grouping))) {
            console.warning(w);
        }
    }

    /** One format for all inputs: --format, else each name's, else JSON Lines if it starts with '{', else text. */
    private InputFormat format(List<Path> inputs) {
        InputFormat given = runSettings().input.build().format();
        if (given == InputFormat.OPENAI_BATCH) {
            throw usage("--format openai-batch: bench does not read OpenAI batch files; run them with batchwise run");
        }
        return given != null ? given : BenchFiles.format(inputs, spec.commandLine());
    }

    /**
     * The options bench took through run's own declarations, as typed, and the inputs: for the
     * chosen setting's run command (its messages options aside).
     */
    private List<String> runArgs() {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!(o.userObject() instanceof Field f) || f.getDeclaringClass().getPackage() != SpecOptions.class.getPackage()
                    || f.getDeclaringClass().getEnclosingClass() == MessageOptions.class) {
                continue;
            }
            if (o.arity().max == 0) {
                Object v = o.getValue();
                out.add(Boolean.FALSE.equals(v) && o.negatable() ? "--no-" + o.longestName().substring(2)
                        : o.longestName());
            } else {
                for (String v : o.originalStringValues()) {
                    out.add(o.longestName());
                    out.add(v);
                }
            }
        }
        out.addAll(files);
        return out;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
