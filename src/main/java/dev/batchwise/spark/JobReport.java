package dev.batchwise.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.output.OutputException;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.ExitStatus;
import dev.batchwise.run.RunDescription;
import dev.batchwise.run.RunSpec;
import dev.batchwise.stats.RunStats;
import dev.batchwise.stats.StatsReport;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The job's stats, reported as the command line reports a run's: the same table on standard error
 * and the same JSON ({@code stats.schema.json}), with the same names; its settings are the run's
 * description, and the job's own (master, partitions, order, formats) beside them.
 */
final class JobReport {

    private final RunSpec job;
    private final RunStats stats;
    private final double sessionSeconds;
    private final Map<String, Object> jobSettings = new LinkedHashMap<>();

    /** @param sessionSeconds how long the Spark session took to start */
    JobReport(RunSpec job, RunStats stats, double sessionSeconds) {
        this.job = job;
        this.stats = stats;
        this.sessionSeconds = Math.round(sessionSeconds * 1e3) / 1e3;
    }

    /** The job's own settings, which the command line has not. */
    void settings(String master, int partitions, boolean ordered, String inputFormat, String outputFormat) {
        jobSettings.put("master", master);
        jobSettings.put("partitions", partitions);
        jobSettings.put("ordered", ordered);
        jobSettings.put("input_format", inputFormat);
        jobSettings.put("output_format", outputFormat);
    }

    /**
     * Prints the stats (unless quiet) and writes their JSON (when asked), then returns the exit status.
     *
     * @param identity what identifies the job: versions, command line, inputs, host
     * @throws OutputException when the stats file cannot be written
     */
    int finish(PrintWriter err, Phrase.Names names, Map<String, Object> identity)
            throws OutputException, FunctionStartException {
        int code = ExitStatus.of(Outcome.Ending.COMPLETED, stats.failed(), 0, false, null, stats.records(), false);
        if (!job.messages().quiet()) {
            err.print(StatsReport.table(stats, names));
            err.printf(Locale.ROOT, "start-up    %.2f s to the Spark session%n", sessionSeconds);
            if (code == ExitCodes.RECORDS_FAILED) {
                err.println("batchwise: " + Human.number(stats.failed()) + " of " + Human.count(stats.records(), "record")
                        + " failed; see their \"error\" in the output");
            }
            err.flush();
        }
        Path file = job.output().statsJson();
        if (file != null) {
            Map<String, Object> extra = new LinkedHashMap<>(identity);
            extra.put("exit_code", code);
            extra.put("ending", "completed");
            extra.put("settings", settings());
            Map<String, Object> startup = new LinkedHashMap<>();
            startup.put("ready_seconds", sessionSeconds);
            startup.put("first_output_seconds", null);
            extra.put("startup", startup);
            ObjectNode report = StatsReport.json(stats, extra);
            try {
                Files.writeString(file, StatsReport.jsonText(report) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new OutputException(Phrase.of("cannot write {stats-json} %s: %s", file, e.getMessage()), e);
            }
        }
        return code;
    }

    /** The run's settings as the command line describes them (its function set up here), then the job's. */
    private Map<String, Object> settings() throws FunctionStartException {
        BatchFunctionFactory factory = job.function().factory(1, System.getenv());
        try {
            Map<String, Object> s = new LinkedHashMap<>(RunDescription.of(job, factory).statsSettings());
            s.putAll(jobSettings);
            return s;
        } finally {
            if (factory instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // only its description was wanted
                }
            }
        }
    }
}
