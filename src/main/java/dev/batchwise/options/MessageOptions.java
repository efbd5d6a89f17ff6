package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The stats a run writes and what it says on standard error, in the groups the front ends take: the
 * stats file ({@code run} and the Spark job), quiet ({@code run}, {@code bench}, the Spark job), no
 * progress line ({@code run}, {@code bench}), the expected record count ({@code run}) and stack traces
 * (all three).
 */
public final class MessageOptions {

    private MessageOptions() {}

    public static final class StatsFile implements SpecOptions {
        @Option(names = "--stats-json", paramLabel = "FILE", descriptionKey = "stats-json",
                description = "Also write the stats as JSON to FILE.")
        @Refused(bench = "bench writes its figures with --json FILE (or --csv FILE)")
        Path statsJson;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.output.statsJson = statsJson;
        }
    }

    public static final class Quiet implements SpecOptions {
        @Option(names = {"-q", "--quiet"},
                description = """
                        Print nothing on standard error but errors: no tables, progress or warnings.""")
        boolean quiet;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.quiet = quiet;
        }

        /** Whether nothing but errors is printed. */
        public boolean quiet() {
            return quiet;
        }
    }

    public static final class NoProgress implements SpecOptions {
        @Option(names = "--no-progress", negatable = false,
                description = """
                        No live progress line (it shows only when standard error is a terminal anyway).""")
        @Refused(spark = "the job draws no progress line: Spark's web UI shows a job's progress")
        boolean noProgress;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.showProgress = !noProgress;
        }

        /** Whether a progress line may be shown. */
        public boolean progress() {
            return !noProgress;
        }
    }

    public static final class Expect implements SpecOptions {
        @Option(names = "--expect-records", paramLabel = "N",
                description = """
                        For CI: exit with code 6 unless the output has exactly N records (failed ones included; see \
                        also the exit code 1 for failed records).""")
        @Refused(bench = "a point's record count depends on its speed: in CI, compare sweeps with --compare A.json "
                + "B.json --fail-if-slower PCT", spark = "the job's record count is in its stats: check it there")
        Long expectRecords;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.output.expectRecords = expectRecords;
        }
    }

    /** {@code -v}: read by the error handler from the parse result, not by the spec. */
    public static final class Verbose {
        @Option(names = {"-v", "--verbose"}, description = "Show stack traces of errors.")
        boolean verbose;
    }
}
