package dev.batchwise.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code batchwise bench} that {@code batchwise run} does not have, or has with one
 * value (the grid's lists). Bench takes the rest of run's options through their shared declarations,
 * or refuses them with the reason beside each declaration ({@link dev.batchwise.options.Refused}).
 */
final class BenchOptions {

    private BenchOptions() {}

    static final class GridOptions {
        @Option(names = "--offline",
                description = """
                        Tune an offline job: all records offered at once, as run offers a file; sweeps max batch \
                        size x workers x model threads and recommends the fastest. The default without --slo, \
                        --concurrency, --rate or --arrival.""")
        boolean offline;

        @Option(names = {"-b", "--max-batch-size"}, paramLabel = "LIST", defaultValue = "1,4,16,32",
                description = "Max batch sizes to try. Default: ${DEFAULT-VALUE}; offline: 8,16,32,64.")
        String batchSizes;

        @Option(names = "--max-delay", paramLabel = "LIST", defaultValue = "0,5ms",
                description = """
                        Max delays to try, counted from the oldest waiting record. Default: ${DEFAULT-VALUE}.""")
        String delays;

        @Option(names = {"-w", "--workers"}, paramLabel = "LIST",
                description = """
                        Worker counts to try; the function or model loads once per count. Default: as in run (1 for \
                        a --fn function; for a model, one per core up to 4); offline: 1, 2, 4 up to the cores, and \
                        run's.""")
        String workers;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "LIST",
                description = """
                        Closed-loop client counts to try. Default, without --rate: 1,8,32.""")
        String concurrency;

        @Option(names = "--rate", paramLabel = "LIST|auto", completionCandidates = Auto.class,
                description = """
                        Open-loop rates (records/s) to try instead of --concurrency, or 'auto': for each setting, \
                        search for the largest rate that meets --slo.""")
        String rates;

        @Option(names = "--arrival", paramLabel = "MODE",
                completionCandidates = SweepArrivals.class, description = """
                        Gaps between --rate arrivals: poisson (exponential, seeded) or constant. Default: poisson. \
                        burst: all records at once, the same as --offline.""")
        String arrival;
    }

    static final class ChoiceOptions {
        @Option(names = "--slo", paramLabel = "BUDGET[,BUDGET...]", completionCandidates = SloQuantiles.class,
                description = """
                        Latency budgets a chosen setting must meet, all of them: p50, p95 or p99 from the intended \
                        arrival, e.g. p99=200ms; for --task generate also the time to first token (ttft_p50, \
                        ttft_p90, ttft_p99) and per output token (tpot_p50, tpot_p99), e.g. \
                        ttft_p99=2s,tpot_p99=100ms.""")
        String slo;

        @Option(names = "--objective", paramLabel = "WHAT", defaultValue = "throughput",
                completionCandidates = Objectives.class, description = """
                        Among the points that meet the SLO, the best: throughput or latency (lowest p99). Default: \
                        ${DEFAULT-VALUE}.""")
        String objective;
    }

    static final class MeasureOptions {
        @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "1s",
                description = """
                        Run each point this long before measuring; discarded. Default: ${DEFAULT-VALUE}.""")
        String warmup;

        @Option(names = "--window", paramLabel = "DURATION", defaultValue = "1s",
                description = """
                        Length of a measurement window. A point is stable when the 95%% confidence interval of its \
                        mean per-window throughput (and p99, for a server) is within 5%% of the mean. Default: \
                        ${DEFAULT-VALUE}.""")
        String window;

        @Option(names = "--max-windows", paramLabel = "N", defaultValue = "10",
                description = """
                        Windows a point may take in all to stabilise; then it is reported as unstable. Default: \
                        ${DEFAULT-VALUE}.""")
        int maxWindows;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "2",
                description = """
                        Rounds that visit every point (up to 3 windows each, every other round in reverse order), \
                        so that load drifting during the sweep hits every setting alike; later rounds revisit \
                        unstable points until --max-windows. Default: ${DEFAULT-VALUE}.""")
        int rounds;

        @Option(names = "--search-steps", paramLabel = "N", defaultValue = "8",
                description = """
                        For --rate auto: the most rates one search measures. Default: ${DEFAULT-VALUE}.""")
        int searchSteps;
    }

    /** The outputs; {@code run}'s message options follow them in the help. */
    static final class OutputOptions {
        @Option(names = "--csv", order = 1, paramLabel = "FILE", description = "Write the points as CSV (columns in docs/bench.md).")
        Path csv;

        @Option(names = "--json", order = 1, paramLabel = "FILE", description = "Write the sweep as JSON, for --compare.")
        Path json;

        @Option(names = "--report", order = 1, paramLabel = "FILE.html",
                description = """
                        Write a self-contained HTML page with charts, the table and the settings to deploy.""")
        Path report;

        @Option(names = "--compare", order = 1, arity = "2", paramLabel = "FILE",
                description = """
                        Instead of sweeping: put two --json sweeps A and B side by side, with B/A ratios.""")
        List<Path> compare;

        @Option(names = "--fail-if-slower", order = 1, paramLabel = "PCT",
                description = """
                        With --compare: exit with code 7 when a point stable in both lost more than PCT percent of \
                        A's throughput in B.""")
        Double failIfSlower;
    }

    /** {@code --rate}: besides a list of rates, {@code auto}. */
    static final class Auto implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("auto").iterator();
        }
    }

    /** {@code --arrival} of a sweep: the open-loop gaps (a burst has no rate to sweep). */
    static final class SweepArrivals implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("poisson", "constant", "burst").iterator();
        }
    }

    /** {@code --slo}: the quantiles it takes, each completed up to its '='. */
    static final class SloQuantiles implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("p50=", "p95=", "p99=", "ttft_p50=", "ttft_p90=", "ttft_p99=", "tpot_p50=", "tpot_p99=")
                    .iterator();
        }
    }

    /** {@code --objective}: {@link dev.batchwise.bench.Objective}'s constants, as typed. */
    static final class Objectives implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.stream.Stream.of(dev.batchwise.bench.Objective.values())
                    .map(o -> o.name().toLowerCase(java.util.Locale.ROOT)).iterator();
        }
    }
}
