package dev.batchwise.run;

import dev.batchwise.util.Text;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.MappingException;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumeException;
import dev.batchwise.pipeline.RunConfig;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.source.InputException;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Human;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of a {@link RunSpec}: loads the function, checks and opens the output ({@link RunOutput}),
 * runs the pipeline, tells the user on the {@link Console}, commits or leaves the output, writes the
 * stats report, and returns how it ended with the exit status ({@link ExitStatus}). Used once.
 */
public final class RunSession {

    private final RunSpec spec;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final Map<String, String> env;
    private final Console console;
    private final Clock clock;
    private final Signals signals;
    /** What identifies the run in its stats JSON (tool, command line, inputs, host); set before {@link #run()}. */
    private Map<String, Object> identity = Map.of();

    /**
     * @param stdin read for the input {@code -}
     * @param stdout where output lines go without {@code -o}; flushed, not closed
     * @param env the environment (a model's default cache directory)
     * @param signals stop requests
     */
    public RunSession(RunSpec spec, InputStream stdin, OutputStream stdout, Map<String, String> env, Console console,
            Clock clock, Signals signals) {
        this.spec = spec;
        this.stdin = stdin;
        this.stdout = stdout;
        this.env = Map.copyOf(env);
        this.console = console;
        this.clock = clock;
        this.signals = signals;
    }

    /** The run's identity for its stats report, first in it: schema and tool versions, the command line, inputs, host. */
    public RunSession withIdentity(Map<String, Object> identity) {
        this.identity = new LinkedHashMap<>(identity);
        return this;
    }

    /**
     * Runs with its own function instances, loaded for this run and closed after it.
     *
     * @throws RunException when the run cannot start, or its stats report cannot be written
     * @throws IOException when the output cannot be committed
     */
    public RunResult run() throws RunException, IOException, InterruptedException {
        BatchFunctionFactory factory = spec.function().factory(spec.workers(), env);
        try {
            return run(factory, null);
        } finally {
            closeQuietly(factory);
        }
    }

    /** Runs on the instances of {@code pool}, which stay loaded for the next run; {@code spec.workers()} is ignored. */
    public RunResult run(WorkerPool pool) throws RunException, IOException, InterruptedException {
        try {
            return run(pool.factory(), pool);
        } finally {
            // nothing to release: the pool owns the factory and its instances
        }
    }

    private RunResult run(BatchFunctionFactory factory, WorkerPool pool)
            throws RunException, IOException, InterruptedException {
        int workers = pool == null ? spec.workers() : pool.size();
        BatchPolicy policy;
        RunConfig config;
        try {
            policy = spec.batching().policy(factory instanceof RecordPreparer, spec.arrival());
            config = new RunConfig(spec.inputs(), spec.format(), spec.readerOptions(), factory, spec.mapping(),
                    spec.idColumn(), spec.arrival(), policy, workers, spec.batching().queueCapacity(),
                    spec.output().format(), spec.output().withTiming(), spec.grace(), spec.onError(), spec.limit(),
                    spec.keep());
        } catch (IllegalArgumentException e) {
            throw RunException.optionMistake(e.getMessage());
        }
        RunDescription description = RunDescription.of(spec, factory, policy);
        try (RunOutput output = RunOutput.prepare(spec, description, stdout, console)) {
            OrderedSink.Listener<Result> failureLines = console.quiet() ? OrderedSink.Listener.none()
                    : new FailureLines(console);
            Pipeline pipeline = new Pipeline(config, clock, failureLines);
            AtomicInteger signalExit = new AtomicInteger(); // set by the signal handler's thread
            boolean progressShown = console.style().interactive() && !console.quiet() && spec.output().showProgress();
            Outcome outcome;
            try (AutoCloseable stop = signals.install(code -> {
                        signalExit.set(code);
                        console.interruption("stopping: no more records are read; the batches in flight have "
                                + spec.graceText() + " (--grace) to finish. Signal again to stop at once.");
                        pipeline.requestStop();
                    });
                    ProgressLine progress = progressShown ? new ProgressLine(console, new ProgressLine.Source(
                            loadingLabel(), () -> pipeline.intakeStarted() != null, pipeline::written,
                            pipeline::failed, pipeline::recordsRead, pipeline::bytesRead,
                            // under --limit the bytes read do not tell how much of the run is done
                            spec.limit() > 0 ? -1 : totalBytes(spec.inputs())), terminalWidth(env), clock)
                            : null) {
                outcome = pipeline.run(stdin, output, console::warning, output.resume(),
                        pool == null ? null : pool.instances());
            } catch (InputException e) {
                throw new RunException(ExitCodes.INPUT, e.getMessage(), e);
            } catch (MappingException e) {
                throw RunException.optionMistake(e.getMessage());
            } catch (ResumeException e) {
                throw new RunException(ExitCodes.USAGE, e.getMessage(), e);
            } catch (FunctionStartException e) {
                throw new RunException(ExitCodes.FUNCTION, e.getMessage(), e);
            } catch (IOException e) {
                throw new RunException(ExitCodes.OUTPUT, Errors.describe(e), e);
            } catch (RuntimeException | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("uninstalling the signal handler failed", e);
            } finally {
                if (pool != null) {
                    pool.returned(pipeline);
                }
            }
            return finish(outcome, output, description, pipeline, signalExit.get());
        }
    }

    /** One line: how many records failed, and where their errors are. */
    private String failureSummary(Outcome outcome) {
        String where = spec.output().file() != null ? "in " + Text.printable(spec.output().file().toString())
                : "in the output";
        return Human.number(outcome.stats().failed()) + " of " + Human.count(outcome.stats().records(), "record")
                + " failed; see their \"error\" "
                + where + (spec.output().errors() != null ? " and in " + Text.printable(spec.output().errors().toString())
                        : "");
    }

    private RunResult finish(Outcome outcome, RunOutput output, RunDescription description, Pipeline pipeline,
            int signalExit) throws RunException, IOException {
        long done = output.resume().recordsDone();
        long recordsInOutput = done + outcome.written();
        boolean brokenPipe = outcome.ending() == Outcome.Ending.OUTPUT_FAILED && output.brokenPipe();
        Long expected = spec.output().expectRecords();
        // the finished output's status: failed records a resumed run found already written count too
        int code = ExitStatus.of(outcome.ending(), outcome.stats().failed() + output.resume().failedDone(), signalExit,
                brokenPipe, expected,
                recordsInOutput);
        String message = outcome.message();
        try {
            output.finish(outcome.ending() == Outcome.Ending.COMPLETED);
        } catch (IOException e) {
            // the errors file or the commit failed (a full disk): the output cannot be written
            throw new RunException(ExitCodes.OUTPUT, Text.printable(Errors.describe(e)), e);
        }
        if (outcome.ending() == Outcome.Ending.COMPLETED && pipeline.closeAbandoned() != null) {
            // every record is written and the output committed, but the function did not close
            code = signalExit != 0 ? signalExit : ExitCodes.FUNCTION;
            message = pipeline.closeAbandoned() + "; the output is complete"
                    + (spec.output().file() != null ? " in " + spec.output().file() : "");
        }
        if (outcome.ending() != Outcome.Ending.COMPLETED && output.partial() != null
                && outcome.ending() != Outcome.Ending.OUTPUT_FAILED) {
            message += "; the " + Human.count(recordsInOutput, "record") + " done " + (recordsInOutput == 1 ? "is"
                    : "are") + " in " + output.partial()
                    + "; run the same command with --resume to continue";
        }
        if (code == ExitCodes.UNEXPECTED_COUNT) {
            message = "expected " + Human.count(expected, "record") + " (--expect-records), the output has "
                    + Human.number(recordsInOutput);
        }
        message = message == null ? null : Text.printable(message);
        if (brokenPipe) {
            // the reader has all it wanted (| head): no error message, as for a process ended by SIGPIPE
            message = null;
        } else if (!console.quiet()) {
            Style style = console.style();
            String table = StatsReport.table(outcome.stats());
            int firstLine = table.indexOf('\n');
            console.print(style.bold(table.substring(0, firstLine)) + table.substring(firstLine));
            if (message != null) {
                console.always(code == ExitCodes.INTERRUPTED || code == ExitCodes.TERMINATED
                        ? message : style.error(message));
            } else if (code == ExitCodes.RECORDS_FAILED) {
                console.always(style.error(failureSummary(outcome)));
            }
        } else if (message != null && outcome.ending() != Outcome.Ending.STOPPED) {
            console.always(message);
        } else if (message == null && code == ExitCodes.RECORDS_FAILED) {
            // quiet keeps the reason for the exit code: how many failed and where to find them
            console.always(failureSummary(outcome));
        }
        Map<String, Object> extra = new LinkedHashMap<>(identity);
        extra.put("exit_code", code);
        extra.put("ending", brokenPipe ? "output_closed" : outcome.ending().name().toLowerCase(Locale.ROOT));
        extra.put("settings", description.statsSettings());
        extra.put("startup", startup(pipeline));
        if (done > 0) {
            extra.put("resumed_after_records", done);
        }
        ObjectNode report = StatsReport.json(outcome.stats(), extra);
        output.writeStats(report);
        return new RunResult(outcome, code, message, recordsInOutput);
    }

    /**
     * Seconds from the process start to the start of intake (everything loaded) and to the first
     * output line, or null for what did not happen.
     */
    private static Map<String, Object> startup(Pipeline pipeline) {
        Map<String, Object> s = new LinkedHashMap<>();
        Instant processStart = ProcessHandle.current().info().startInstant().orElse(null);
        s.put("ready_seconds", secondsSince(processStart, pipeline.intakeStarted()));
        s.put("first_output_seconds", secondsSince(processStart, pipeline.firstWritten()));
        return s;
    }

    private static Double secondsSince(Instant from, Instant to) {
        if (from == null || to == null) {
            return null;
        }
        return Math.round(Duration.between(from, to).toNanos() / 1e6) / 1e3;
    }

    /** What loads before the first record, for the progress line: "model minilm", "function echo". */
    private String loadingLabel() {
        if (spec.function() instanceof FunctionSpec.Model m) {
            return "model " + (m.model() == null ? "minilm" : m.model());
        }
        return spec.function() instanceof FunctionSpec.Named n ? "function " + n.name() : "the function";
    }

    /** The inputs' sizes on disk together, or -1 when one is standard input or a pipe. */
    static long totalBytes(java.util.List<dev.batchwise.source.Input> inputs) {
        long total = 0;
        for (dev.batchwise.source.Input in : inputs) {
            if (!in.canReopen()) {
                return -1;
            }
            try {
                total += java.nio.file.Files.size(in.path());
            } catch (IOException e) {
                return -1;
            }
        }
        return total;
    }

    /** The terminal's width as the shell exports it in COLUMNS, else 80. */
    static int terminalWidth(Map<String, String> env) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "80").strip());
            return columns >= 20 ? columns : 80;
        } catch (NumberFormatException e) {
            return 80;
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
}
