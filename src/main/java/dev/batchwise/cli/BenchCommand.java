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
import dev.batchwise.bench.PipelineTarget;
import dev.batchwise.bench.PointMeter;
import dev.batchwise.bench.Slo;
import dev.batchwise.bench.Sweep;
import dev.batchwise.bench.TextOutputs;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.MappingException;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunException;
import dev.batchwise.run.RunSpec;
import dev.batchwise.run.Style;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.InputFormat;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import dev.batchwise.util.Errors;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code batchwise bench}: options to a grid, the sweep on the pipeline, the outputs, the exit code.
 * The input, model, function, queue and seed options are {@code run}'s own declarations, and make the
 * same run config, which every point gets; {@code run}'s other options are refused, each with why
 * ({@link BenchOptions#refusal}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Sweep max batch size, max delay, workers and load over a function or model, records cycled from the "
                    + "inputs; find the best setting under a latency budget, and print it as batchwise run flags "
                    + "and as Triton, TorchServe, Ray Serve and TF Serving settings.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  batchwise bench samples/sentences.txt",
            "  batchwise bench --fn echo --fn-arg delay=20ms -b 1,16 -c 16 samples/sentences.txt",
            "  batchwise bench --rate auto --slo p99=200ms --report bench.html samples/sentences.txt",
            "  batchwise bench --json new.json samples/sentences.txt && "
                    + "batchwise bench --compare old.json new.json --fail-if-slower 10",
        })
final class BenchCommand implements Callable<Integer> {

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Inputs, cycled for as long as each point runs: .csv, .tsv, .jsonl, .txt (optionally .gz).")
    List<String> files = new ArrayList<>();

    @ArgGroup(validate = false, heading = "%nGrid (comma-separated lists):%n", order = 1)
    BenchOptions.GridOptions grid = new BenchOptions.GridOptions();

    @ArgGroup(validate = false, heading = "%nChoosing:%n", order = 2)
    BenchOptions.ChoiceOptions choice = new BenchOptions.ChoiceOptions();

    @ArgGroup(validate = false, heading = "%nMeasuring each point:%n", order = 3)
    BenchOptions.MeasureOptions measure = new BenchOptions.MeasureOptions();

    @ArgGroup(validate = false, heading = "%nInput (as in run):%n", order = 4)
    RunOptions.InputOptions input = new RunOptions.InputOptions();

    @ArgGroup(validate = false, heading = "%nModel (as in run):%n", order = 5)
    RunOptions.ModelOptionsGroup model = new RunOptions.ModelOptionsGroup();

    @ArgGroup(validate = false, heading = "%nFunction (as in run):%n", order = 6)
    RunOptions.FunctionOptions function = new RunOptions.FunctionOptions();

    @ArgGroup(validate = false, heading = "%nQueue (as in run):%n", order = 7)
    RunOptions.QueueOptions queue = new RunOptions.QueueOptions();

    @ArgGroup(validate = false, heading = "%nArrivals (as in run):%n", order = 8)
    RunOptions.SeedOptions arrivals = new RunOptions.SeedOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 9)
    BenchOptions.OutputOptions output = new BenchOptions.OutputOptions();

    BenchCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        if (output.compare != null) {
            return compare();
        }
        if (output.failIfSlower != null) {
            throw usage("--fail-if-slower goes with --compare A.json B.json");
        }
        Sweep.Config config = config();
        List<Path> inputs = inputs();
        InputFormat format = format(inputs);
        BenchFiles.check(java.util.Arrays.asList(output.csv, output.json, output.report), inputs);
        Style style = Style.of(io.env(), io.stderrIsTerminal());
        PrintWriter err = spec.commandLine().getErr();
        RunSpec base = runSpec();
        warnIgnored(base, style);
        PipelineTarget target = new PipelineTarget(base, io.env(), inputs, format, Clock.SYSTEM, arrivals.seed,
                PipelineTarget.MIN_MARGIN_NANOS);
        SweepProgress progress = new SweepProgress(err, style.interactive() && !output.quiet && !output.noProgress);
        Sweep.Result result;
        try {
            result = Sweep.run(target, config, progress);
        } catch (RunException e) {
            throw e.optionMistake() ? usage(e.getMessage()) : new UserException(e.exitCode(), e.getMessage(), e);
        } catch (InputException e) {
            throw new UserException(ExitCodes.INPUT, e.getMessage(), e);
        } catch (MappingException e) {
            throw usage(e.getMessage());
        } catch (FunctionStartException e) {
            throw new UserException(ExitCodes.FUNCTION, e.getMessage(), e);
        } finally {
            progress.close();
        }
        String name = base.function() instanceof FunctionSpec.Named n ? n.name()
                : ((FunctionSpec.Model) base.function()).name();
        List<String> command = new ArrayList<>(List.of("batchwise", "bench"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        BenchRun run = new BenchRun(command, runArgs(), Machine.current(VersionProvider.version(),
                RuntimeVersions.lines(BenchCommand.class.getClassLoader())), name, config.plan(), config.slo(),
                config.objective(), queue.queueCapacity, result);
        if (!output.quiet) {
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
            err.println("batchwise: " + style.error("point " + result.timedOut().setting().key() + " timed out: a call "
                    + "of the function did not return within " + Durations.format(bound) + " (the point's "
                    + Durations.format(config.plan().budgetNanos()) + " of warm-up and windows, then as long again, "
                    + "at least " + Durations.format(PipelineTarget.MIN_MARGIN_NANOS) + "); the sweep stopped there, "
                    + "with " + before + " point" + (before == 1 ? "" : "s") + " measured before it"));
            err.flush();
            return ExitCodes.POINT_TIMED_OUT;
        }
        if (result.points().stream().anyMatch(p -> p.failed() > 0)) {
            return ExitCodes.RECORDS_FAILED;
        }
        return config.slo() != null && result.chosen() == null ? ExitCodes.NO_SETTING_MEETS_SLO : ExitCodes.OK;
    }

    private int compare() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        double pct = output.failIfSlower == null ? -1 : output.failIfSlower;
        if (output.failIfSlower != null && !(pct >= 0 && pct < 100)) {
            throw usage("--fail-if-slower: " + output.failIfSlower + " is not a percentage from 0 to 100");
        }
        Path a = output.compare.get(0);
        Path b = output.compare.get(1);
        BenchJson.Read ra = read(a);
        BenchJson.Read rb = read(b);
        Compare.Result r = Compare.compare(ra.points(), rb.points(), pct);
        if (!output.quiet) {
            err.print(Compare.table(r, a + " (" + ra.function() + ")", b + " (" + rb.function() + ")"));
        }
        if (!r.slower().isEmpty()) {
            err.println("batchwise: " + r.slower().size() + " point" + (r.slower().size() == 1 ? "" : "s")
                    + " lost more than " + output.failIfSlower + "% of A's throughput (--fail-if-slower)");
            err.flush();
            return ExitCodes.SLOWER;
        }
        err.flush();
        return ExitCodes.OK;
    }

    private static BenchJson.Read read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(ExitCodes.INPUT, "cannot read " + file + ": " + (Files.exists(file)
                    ? "not a regular file" : "no such file"));
        }
        try {
            return BenchJson.read(file);
        } catch (IllegalArgumentException e) {
            throw new UserException(ExitCodes.INPUT, e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new UserException(ExitCodes.INPUT, "cannot read " + file + ": " + Errors.describe(e), e);
        }
    }

    /** The grid, the plan and the choice's rules, validated once; a mistake is a usage error. */
    Sweep.Config config() {
        try {
            List<Integer> batches = GridValues.integers("--max-batch-size", grid.batchSizes);
            int largest = batches.stream().mapToInt(Integer::intValue).max().orElse(1);
            if (queue.lookahead != null && queue.lookahead < largest) {
                throw new IllegalArgumentException("--lookahead (" + queue.lookahead + ") must be at least the "
                        + "largest max batch size of the grid (" + largest + ")");
            }
            List<Long> delays = GridValues.durations("--max-delay", grid.delays);
            List<Integer> workers = grid.workers == null ? List.of(defaultWorkers())
                    : GridValues.integers("--workers", grid.workers);
            String arrival = grid.arrival.toLowerCase(Locale.ROOT);
            if (!arrival.equals("poisson") && !arrival.equals("constant")) {
                throw new IllegalArgumentException("--arrival: '" + grid.arrival + "' is not one of poisson, constant");
            }
            boolean poisson = arrival.equals("poisson");
            List<Load> loads = new ArrayList<>();
            if (grid.rates != null && grid.concurrency != null) {
                throw new IllegalArgumentException("--concurrency (closed loop) and --rate (open loop) exclude each "
                        + "other: pick one");
            }
            if (grid.rates != null && !grid.rates.strip().equalsIgnoreCase("auto")) {
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
            Objective objective = switch (choice.objective.toLowerCase(Locale.ROOT)) {
                case "throughput" -> Objective.THROUGHPUT;
                case "latency" -> Objective.LATENCY;
                default -> throw new IllegalArgumentException("--objective: '" + choice.objective
                        + "' is not one of throughput, latency");
            };
            long warmup = duration("--warmup", measure.warmup);
            long window = duration("--window", measure.window);
            if (window <= 0) {
                throw new IllegalArgumentException("--window must be longer than 0");
            }
            if (measure.maxWindows < 3) {
                throw new IllegalArgumentException("--max-windows must be at least 3 (stability compares the last 3)");
            }
            if (measure.searchSteps < 1) {
                throw new IllegalArgumentException("--search-steps must be at least 1");
            }
            if (queue.queueCapacity < 1) {
                throw new IllegalArgumentException("--queue-capacity must be at least 1");
            }
            return new Sweep.Config(new Grid(batches, delays, workers, loads),
                    new PointMeter.Plan(warmup, window, measure.maxWindows), slo, objective, poisson,
                    measure.searchSteps);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private static long duration(String option, String text) {
        try {
            return Durations.parse(text).toNanos();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Run's default worker count for this function or model. */
    private int defaultWorkers() {
        return runSpec().workers();
    }

    /**
     * The run {@code batchwise run} would make of this command's run options: run parses them as
     * typed, so their defaults and checks are run's own. The sweep replaces its inputs, batching,
     * workers and arrivals point by point.
     */
    private RunSpec runSpec() {
        List<String> args = new ArrayList<>(runArgs());
        args.addAll(List.of("--concurrency", "1")); // not burst: no length grouping unless asked, as under any load
        // the largest batch of the grid, which run's checks of the queue options (--lookahead) hold against
        args.addAll(List.of("--max-batch-size", Integer.toString(GridValues.integers("--max-batch-size",
                grid.batchSizes).stream().mapToInt(Integer::intValue).max().orElse(1))));
        RunCommand rc = new RunCommand(io);
        CommandLine cl = new CommandLine(rc);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        try {
            cl.parseArgs(args.toArray(String[]::new));
            return rc.runSpec();
        } catch (CommandLine.ParameterException e) {
            throw usage(e.getMessage());
        }
    }

    /** Warns of each option typed that no point uses, as run does (a model option for a function, say). */
    private void warnIgnored(RunSpec base, Style style) {
        boolean grouping = Boolean.TRUE.equals(queue.groupByLength);
        boolean seedUsed = true; // every point draws its records in the order --seed gives
        dev.batchwise.run.Console console = new dev.batchwise.run.Console(spec.commandLine().getErr(), style,
                output.quiet);
        for (String w : IgnoredOptions.of(spec.commandLine().getParseResult(), new IgnoredOptions.Mode(
                !base.function().isModel(), model.task.label(), seedUsed, grouping))) {
            console.warning(w);
        }
    }

    private List<Path> inputs() {
        if (files.isEmpty()) {
            throw usage("give the input files to cycle through (standard input cannot be read again and again)");
        }
        List<Path> out = new ArrayList<>();
        for (String f : files) {
            Input in = Input.of(f);
            if (in.isStdin()) {
                throw usage("standard input ('-') cannot be cycled: give files");
            }
            if (!Files.isRegularFile(in.path()) || !Files.isReadable(in.path())) {
                throw new UserException(ExitCodes.INPUT, "cannot read " + f + ": " + (!Files.exists(in.path())
                        ? "no such file" : Files.isDirectory(in.path()) ? "it is a directory"
                        : !Files.isRegularFile(in.path()) ? "not a regular file (bench reads its inputs many times)"
                        : "permission denied"));
            }
            out.add(in.path());
        }
        return out;
    }

    /** One format for all inputs: --format, else each name's, else JSON Lines if it starts with '{', else text. */
    private InputFormat format(List<Path> inputs) {
        if (input.format != null) {
            return input.format;
        }
        InputFormat first = null;
        for (Path p : inputs) {
            InputFormat f = InputFormat.fromFileName(p.getFileName().toString());
            if (f == null) {
                f = BenchFiles.startsWithBrace(p) ? InputFormat.JSONL : InputFormat.TEXT;
            }
            if (first != null && f != first) {
                throw usage("the inputs are in different formats (" + first.label() + " and " + f.label() + " at "
                        + p + "); bench cycles one format: give inputs of one format, or --format");
            }
            first = f;
        }
        return first;
    }

    /** The options and inputs that pass through to run, as typed: for the chosen setting's run command. */
    private List<String> runArgs() {
        List<String> out = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (o.group() == null || o.group().heading() == null || !o.group().heading().contains("(as in run)")) {
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
