package dev.batchwise.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.output.OutputException;
import dev.batchwise.output.RunOutput;
import dev.batchwise.pipeline.AbruptExit;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.ResumeException;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputException;
import dev.batchwise.source.RecordStream;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.time.Clock;
import dev.batchwise.util.Durations;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One run of a {@link RunSpec}: loads the function (or borrows a {@link WorkerPool}'s), checks and
 * opens the output ({@link RunOutput}), runs the pipeline, tells the user on the {@link Console},
 * commits or leaves the output, writes the stats report, and returns how it ended with the exit
 * status ({@link ExitStatus}). Every front end runs its runs through it: the command line, each point
 * of {@code bench} (through {@link Hooks}), the Java API. Used once.
 */
public final class RunSession {

    /**
     * What a caller that measures runs adds to one: an observer of every record as it is written (in
     * order, under the sink's lock), and an order for the records read (records are numbered again
     * from 1 in it; only for a run from its start).
     */
    public record Hooks(OrderedSink.Listener<? super Result> written, UnaryOperator<RecordStream> order) {
        public static final Hooks NONE = new Hooks(OrderedSink.Listener.none(), UnaryOperator.identity());
    }

    private RunSpec spec;
    /** Whether the input is an OpenAI batch file, settled before the function is made; {@code null} for a pool's run. */
    private BatchInput batchInput;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final Map<String, String> env;
    private final Console console;
    private final Clock clock;
    private final Signals signals;
    /** What identifies the run in its stats JSON (tool, command line, inputs, host); set before {@link #run()}. */
    private Map<String, Object> identity = Map.of();
    private Hooks hooks = Hooks.NONE;

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

    public RunSession withHooks(Hooks hooks) {
        this.hooks = hooks;
        return this;
    }

    /**
     * Runs with its own function instances, loaded for this run and closed after it.
     *
     * @throws RunException when the run cannot start, or its output cannot be committed or its stats written
     */
    public RunResult run() throws RunException, InterruptedException {
        BatchFunctionFactory factory = factory();
        try {
            return run(factory, null);
        } finally {
            closeQuietly(factory);
        }
    }

    /** Runs on the instances of {@code pool}, which stay loaded for the next run; {@code spec.workers()} is ignored. */
    public RunResult run(WorkerPool pool) throws RunException, InterruptedException {
        return run(pool.factory(), pool);
    }

    private BatchFunctionFactory factory() throws RunException {
        try {
            batchInput = BatchInput.detect(spec.input(), stdin);
            if (batchInput.batch()) {
                spec = BatchInput.asBatch(spec);
                return OpenAiBatch.open(spec.function(), spec.workers(), env, batchInput.detected(), console::warning);
            }
            return spec.function().factory(spec.workers(), env);
        } catch (FunctionStartException | SettingException e) {
            throw new RunException(e);
        }
    }

    private RunResult run(BatchFunctionFactory factory, WorkerPool pool) throws RunException, InterruptedException {
        try {
            RunDescription description = RunDescription.of(spec, factory);
            spec.output().checkOutputs(factory.signature().outputs());
            try (RunOutput output = RunOutput.prepare(spec.output(), spec.input().inputs(),
                    description.outputShapingOptions(), stdout, console)) {
                OpenAiBatch batch = factory instanceof OpenAiBatch b ? b : null;
                if (batch != null) {
                    batch.start(RunOutput.runKey(description.outputShapingOptions(), spec.input().inputs()));
                }
                Pipeline pipeline = pipeline(factory, pool);
                AtomicInteger signalExit = new AtomicInteger(); // set by the signal handler's thread
                Outcome outcome;
                try (AutoCloseable stop = signals.install(code -> {
                            signalExit.set(code);
                            console.interruption(Phrase.of("stopping: no more records are read; the batches in flight "
                                    + "have %s ({grace}) to finish. Signal again to stop at once.",
                                    Durations.format(spec.failures().grace())));
                            pipeline.requestStop();
                        });
                        AutoCloseable progress = spec.messages().showProgress() ? console.progress(
                                progressSource(pipeline), clock) : () -> {};
                        AutoCloseable noted = AbruptExit.noting(() -> abruptExitNote(output))) {
                    UnaryOperator<RecordStream> paths = ModelFunctions.resolvingPaths(spec.function(), spec.input());
                    // standard input with what detection peeked at
                    InputStream in = batchInput == null ? stdin : batchInput.stdin();
                    outcome = batch == null ? pipeline.readAndRun(in, output, console::warning, output.resume(),
                            pool == null ? null : pool.instances(), records -> hooks.order().apply(paths.apply(records)))
                            : pipeline.readAndRun(in, output.writtenBy(OpenAiLines.of(batch)),
                                    console::warning, OpenAiLines.resume(output.resume(), batch.ids()),
                                    pool == null ? null : pool.instances(),
                                    r -> batch.skipping(hooks.order().apply(r), output.resume().recordsDone()));
                } finally {
                    if (pool != null) {
                        pool.returned(pipeline);
                    }
                }
                return finish(outcome, output, description, pipeline, signalExit.get());
            }
        } catch (InputException | FunctionStartException | OutputException | SettingException | ResumeException e) {
            throw new RunException(e);
        } catch (IOException e) {
            throw new RunException(new OutputException(Phrase.text(Errors.describe(e)), e));
        } catch (RuntimeException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("uninstalling the signal handler failed", e);
        }
    }

    private Pipeline pipeline(BatchFunctionFactory factory, WorkerPool pool) {
        OrderedSink.Listener<Result> failureLines = console.quiet() ? OrderedSink.Listener.none()
                : new FailureLines(console);
        OrderedSink.Listener<? super Result> observer = hooks.written();
        return new Pipeline(spec.pipeline(factory, pool == null ? spec.workers() : pool.size()), clock, r -> {
            failureLines.written(r);
            observer.written(r);
        });
    }

    private Console.ProgressSource progressSource(Pipeline pipeline) {
        // under a limit the bytes read do not tell how much of the run is done
        return new Console.ProgressSource(spec.function().label().replace("'", ""),
                () -> pipeline.intakeStarted() != null, pipeline::written, pipeline::failed, pipeline::recordsRead,
                pipeline::bytesRead, spec.input().limit() > 0 ? -1 : totalBytes(spec.input().inputs()));
    }

    /**
     * What an exit no run chose (a plugin's {@code System.exit}) says of this run once its output is
     * flushed ({@link AbruptExit}): where the records written are kept; {@code null} for standard output.
     */
    private String abruptExitNote(RunOutput output) {
        if (output.partial() == null) {
            return null;
        }
        return console.text(Phrase.of(output.resumable() ? "the records written before it are kept in %s; run "
                + "the same command with {resume} to continue" : "the records written before it are kept in %s",
                output.partial()));
    }

    /** One line: how many records failed, and where their errors are. */
    private String failureSummary(Outcome outcome) {
        String where = spec.output().file() != null ? "in " + spec.output().file() : "in the output";
        return Human.number(outcome.stats().failed()) + " of " + Human.count(outcome.stats().records(), "record")
                + " failed" + (outcome.stats().carriedOverRecords() > 0 ? " (" + Human.number(outcome.stats()
                        .carriedOverFailed()) + " of the " + Human.number(outcome.stats().carriedOverRecords())
                        + " carried over from the run resumed)" : "")
                + "; see their " + (batchInput != null && batchInput.batch() ? "response.body.error" : "\"error\"")
                + " " + where
                + (spec.output().errors() != null ? " and in " + spec.output().errors() : "");
    }

    private RunResult finish(Outcome outcome, RunOutput output, RunDescription description, Pipeline pipeline,
            int signalExit) throws OutputException {
        long done = output.resume().recordsDone();
        long recordsInOutput = done + outcome.written();
        boolean brokenPipe = outcome.ending() == Outcome.Ending.OUTPUT_FAILED && output.brokenPipe();
        Long expected = spec.output().expectRecords();
        boolean notClosed = pipeline.closeAbandoned() != null;
        // the finished output's status: the stats count failed records a resumed run found written too
        int code = ExitStatus.of(outcome.ending(), outcome.stats().failed(), signalExit,
                brokenPipe, expected, recordsInOutput, notClosed);
        try {
            output.finish(outcome.ending() == Outcome.Ending.COMPLETED);
        } catch (IOException e) {
            // the errors file or the commit failed (a full disk): the output cannot be written
            throw new OutputException(Phrase.text(Errors.describe(e)), e);
        }
        String message = message(outcome, output, pipeline, code, expected, recordsInOutput);
        if (brokenPipe) {
            // the reader has all it wanted (| head): no error message, as for a process ended by SIGPIPE
            message = null;
        } else if (!console.quiet()) {
            console.table(StatsReport.table(outcome.stats(), console.names()));
            if (message != null && (code == ExitCodes.INTERRUPTED || code == ExitCodes.TERMINATED)) {
                console.always(message);
            } else if (message != null) {
                console.error(message);
            } else if (code == ExitCodes.RECORDS_FAILED) {
                console.error(failureSummary(outcome));
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

    /** What the user is told about how the run ended, or {@code null}: nothing beyond the stats. */
    private String message(Outcome outcome, RunOutput output, Pipeline pipeline, int code, Long expected,
            long recordsInOutput) {
        if (code == ExitCodes.UNEXPECTED_COUNT) {
            return console.text(Phrase.of("expected %s ({expect-records}), the output has %s",
                    Human.count(expected, "record"), Human.number(recordsInOutput)));
        }
        if (outcome.ending() == Outcome.Ending.COMPLETED && pipeline.closeAbandoned() != null) {
            return console.text(pipeline.closeAbandoned()) + "; the output is complete"
                    + (spec.output().file() != null ? " in " + spec.output().file() : "");
        }
        String message = outcome.message() == null ? null : console.text(outcome.message());
        if (outcome.ending() != Outcome.Ending.COMPLETED && output.partial() != null
                && outcome.ending() != Outcome.Ending.OUTPUT_FAILED) {
            // resume is suggested only where it is not refused (standard input, a pipe), and not for an input
            // that broke off: a resumed run reads it again and breaks off at the same place (a changed one is refused)
            boolean canContinue = output.resumable() && outcome.ending() != Outcome.Ending.INPUT_FAILED;
            message += console.text(!spec.output().format().continuable()
                    ? Phrase.of("; %s is not readable and cannot be continued (a Parquet file is complete or nothing): "
                            + "run the same command again to start over", output.partial())
                    : Phrase.of(canContinue ? "; the %s done %s in %s; run the same command "
                    + "with {resume} to continue" : "; the %s done %s in %s",
                    Human.count(recordsInOutput, "record"), recordsInOutput == 1 ? "is" : "are", output.partial()));
        }
        return message;
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

    /** The inputs' sizes on disk together, or -1 when one is standard input or a pipe. */
    static long totalBytes(List<Input> inputs) {
        long total = 0;
        for (Input in : inputs) {
            if (!in.canReopen()) {
                return -1;
            }
            try {
                total += Files.size(in.path());
            } catch (IOException e) {
                return -1;
            }
        }
        return total;
    }

    /** Releases what a function holds for the run (a model's tokenizer). */
    static void closeQuietly(BatchFunctionFactory factory) {
        if (factory instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the run is over; nothing left to report it to
            }
        }
    }
}
