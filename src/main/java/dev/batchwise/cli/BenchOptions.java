package dev.batchwise.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code batchwise bench} that {@code batchwise run} does not have, or has with one
 * value; and why bench refuses the rest of run's options.
 */
final class BenchOptions {

    private BenchOptions() {}

    private static final String NO_OUTPUT_LINES = "bench writes no output lines (each point's are discarded): "
            + "its results are --csv, --json and --report";

    /**
     * The options of {@code run} that make no sense for a sweep, by long name, each with why: bench
     * refuses them (a usage error) rather than ignore them. Every other option of run is one of bench's
     * and works as in run; a test holds the two lists to run's options.
     */
    static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("--limit", "bench cycles its inputs for as long as each point runs: give the records to "
                    + "cycle as the FILEs"),
            Map.entry("--output", NO_OUTPUT_LINES),
            Map.entry("--output-format", NO_OUTPUT_LINES),
            Map.entry("--keep", NO_OUTPUT_LINES),
            Map.entry("--with-timing", NO_OUTPUT_LINES + " (each point's timings are in them)"),
            Map.entry("--errors", "bench counts each point's failed records (the failed column) and keeps none: "
                    + "run the setting with batchwise run --errors FILE to see them"),
            Map.entry("--on-error", "bench runs every point to its end and counts its failed records; a point with "
                    + "failed records is never chosen"),
            Map.entry("--resume", "a sweep cannot be resumed: run it again"),
            Map.entry("--grace", "it is the time run gives batches after Ctrl-C; bench ends each point itself, and "
                    + "a point whose calls have not returned within its time is reported as timed out"),
            Map.entry("--stats-json", "bench writes its figures with --json FILE (or --csv FILE)"),
            Map.entry("--expect-records", "a point's record count depends on its speed: in CI, compare sweeps with "
                    + "--compare A.json B.json --fail-if-slower PCT"));

    /**
     * Why bench refuses {@code typed}, an option it does not have: a run option from {@link #REFUSED}
     * (by any of its names in {@code runOptions}), as one line; null for an option run lacks too.
     */
    static String refusal(String typed, List<picocli.CommandLine.Model.OptionSpec> runOptions) {
        for (picocli.CommandLine.Model.OptionSpec o : runOptions) {
            if (List.of(o.names()).contains(typed) && REFUSED.containsKey(o.longestName())) {
                return String.join("/", o.names()) + " is a run option that bench does not take: "
                        + REFUSED.get(o.longestName());
            }
        }
        return null;
    }

    static final class GridOptions {
        @Option(names = {"-b", "--max-batch-size"}, paramLabel = "LIST", defaultValue = "1,4,16,32",
                description = "Max batch sizes to try. Default: ${DEFAULT-VALUE}.")
        String batchSizes;

        @Option(names = "--max-delay", paramLabel = "LIST", defaultValue = "0,5ms",
                description = "Max delays to try, counted from the oldest waiting record. Default: ${DEFAULT-VALUE}.")
        String delays;

        @Option(names = {"-w", "--workers"}, paramLabel = "LIST",
                description = "Worker counts to try; the function or model loads once per count. Default: as in "
                        + "run (1 for a --fn function; for a model, one per core up to 4).")
        String workers;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "LIST",
                description = "Closed-loop client counts to try. Default, without --rate: 1,8,32.")
        String concurrency;

        @Option(names = "--rate", paramLabel = "LIST|auto",
                description = "Open-loop rates (records/s) to try instead of --concurrency, or 'auto': for each "
                        + "setting, search for the largest rate that meets --slo.")
        String rates;

        @Option(names = "--arrival", paramLabel = "MODE", defaultValue = "poisson",
                description = "Gaps between --rate arrivals: poisson (exponential, seeded) or constant. Default: "
                        + "${DEFAULT-VALUE}.")
        String arrival;
    }

    static final class ChoiceOptions {
        @Option(names = "--slo", paramLabel = "pNN=DURATION",
                description = "Latency budget a chosen setting must meet, on p50, p95 or p99 from the intended "
                        + "arrival, e.g. p99=200ms.")
        String slo;

        @Option(names = "--objective", paramLabel = "WHAT", defaultValue = "throughput",
                description = "Among the points that meet the SLO, the best: throughput or latency (lowest p99). "
                        + "Default: ${DEFAULT-VALUE}.")
        String objective;
    }

    static final class MeasureOptions {
        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s",
                description = "Run each point this long before measuring; discarded. Default: ${DEFAULT-VALUE}.")
        String warmup;

        @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1s",
                description = "Length of a measurement window. A point is stable when its last 3 windows agree "
                        + "within 10%% on throughput and p99. Default: ${DEFAULT-VALUE}.")
        String window;

        @Option(names = "--max-windows", paramLabel = "N", defaultValue = "6",
                description = "Windows a point may take to stabilise; then it is reported as unstable and never "
                        + "chosen. Default: ${DEFAULT-VALUE}.")
        int maxWindows;

        @Option(names = "--search-steps", paramLabel = "N", defaultValue = "8",
                description = "For --rate auto: the most rates one search measures. Default: ${DEFAULT-VALUE}.")
        int searchSteps;
    }

    /** The outputs, then {@code run}'s message options. */
    static final class OutputOptions extends RunOptions.MessageOptions {
        @Option(names = "--csv", order = 1, paramLabel = "FILE", description = "Write the points as CSV (columns in the README).")
        Path csv;

        @Option(names = "--json", order = 1, paramLabel = "FILE", description = "Write the sweep as JSON, for --compare.")
        Path json;

        @Option(names = "--report", order = 1, paramLabel = "FILE.html",
                description = "Write a self-contained HTML page with charts, the table and the settings to deploy.")
        Path report;

        @Option(names = "--compare", order = 1, arity = "2", paramLabel = "FILE",
                description = "Instead of sweeping: put two --json sweeps A and B side by side, with B/A ratios.")
        List<Path> compare;

        @Option(names = "--fail-if-slower", order = 1, paramLabel = "PCT",
                description = "With --compare: exit with code 7 when a point stable in both lost more than PCT "
                        + "percent of A's throughput in B.")
        Double failIfSlower;
    }
}
