package dev.batchwise.run;

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
                    spec.output().format(), spec.output().withTiming(), spec.grace(), spec.onError());
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
                    ProgressLine progress = progressShown
                            ? new ProgressLine(console, pipeline::written, pipeline::failed) : null) {
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

    private RunResult finish(Outcome outcome, RunOutput output, RunDescription description, Pipeline pipeline,
            int signalExit) throws RunException, IOException {
        long done = output.resume().recordsDone();
        long recordsInOutput = done + outcome.written();
        boolean brokenPipe = outcome.ending() == Outcome.Ending.OUTPUT_FAILED && output.brokenPipe();
        Long expected = spec.output().expectRecords();
        int code = ExitStatus.of(outcome.ending(), outcome.stats().failed(), signalExit, brokenPipe, expected,
                recordsInOutput);
        String message = outcome.message();
        output.finish(outcome.ending() == Outcome.Ending.COMPLETED);
        if (outcome.ending() != Outcome.Ending.COMPLETED && output.partial() != null
                && outcome.ending() != Outcome.Ending.OUTPUT_FAILED) {
            message += "; the " + recordsInOutput + " records done are in " + output.partial()
                    + "; run the same command with --resume to continue";
        }
        if (code == ExitCodes.UNEXPECTED_COUNT) {
            message = "expected " + expected + " records (--expect-records), the output has " + recordsInOutput;
        }
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
                console.always(style.error(outcome.stats().failed() + " of " + outcome.stats().records()
                        + " records failed") + "; see their \"error\" in the output"
                        + (spec.output().errors() != null ? " and in " + spec.output().errors() : ""));
            }
        } else if (message != null && outcome.ending() != Outcome.Ending.STOPPED) {
            console.always(message);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
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
     * output line, or -1 for what did not happen.
     */
    private static Map<String, Object> startup(Pipeline pipeline) {
        Map<String, Object> s = new LinkedHashMap<>();
        Instant processStart = ProcessHandle.current().info().startInstant().orElse(null);
        s.put("ready_seconds", secondsSince(processStart, pipeline.intakeStarted()));
        s.put("first_output_seconds", secondsSince(processStart, pipeline.firstWritten()));
        return s;
    }

    private static double secondsSince(Instant from, Instant to) {
        if (from == null || to == null) {
            return -1;
        }
        return Math.round(Duration.between(from, to).toNanos() / 1e6) / 1e3;
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
