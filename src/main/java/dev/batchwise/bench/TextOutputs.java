package dev.batchwise.bench;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sweep as a table for people (standard error) and as CSV with fixed columns ({@code --csv}). */
public final class TextOutputs {

    /** The CSV columns, in order; docs/bench.md documents each. */
    public static final List<String> CSV_COLUMNS = List.of("workers", "max_batch_size", "max_delay_ms", "arrival",
            "concurrency", "rate_per_second", "stable", "windows", "records", "failed", "throughput_per_second",
            "latency_p50_ms", "latency_p90_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms", "queue_p50_ms",
            "queue_p99_ms", "compute_p50_ms", "compute_p99_ms", "mean_batch_size", "batch_sizes", "padding_share",
            "busy_share", "pareto", "meets_slo", "chosen", "timed_out", "model_threads", "output_tokens_per_second",
            "ttft_p50_ms", "ttft_p90_ms", "ttft_p99_ms", "tpot_p50_ms", "tpot_p99_ms");

    private TextOutputs() {}

    public static void csv(BenchRun run, Writer out) throws IOException {
        out.write(String.join(",", CSV_COLUMNS));
        out.write('\n');
        for (PointResult p : run.result().points()) {
            Setting s = p.setting();
            List<String> v = new ArrayList<>();
            v.add(Integer.toString(s.workers()));
            v.add(Integer.toString(s.maxBatchSize()));
            v.add(num(s.maxDelayNanos() / 1e6));
            if (s.offline()) {
                v.add("offline");
                v.add("");
                v.add("");
            } else if (s.load() instanceof Load.Clients c) {
                v.add("closed");
                v.add(Integer.toString(c.clients()));
                v.add("");
            } else {
                Load.Rate r = (Load.Rate) s.load();
                v.add(r.poisson() ? "poisson" : "constant");
                v.add("");
                v.add(num(r.perSecond()));
            }
            v.add(Boolean.toString(p.stable()));
            v.add(Integer.toString(p.windows()));
            if (p.timedOut()) {
                // no figures: the point did not end; its cells are empty, never zeros that read as measured
                for (int i = 0; i < 16; i++) {
                    v.add("");
                }
            } else {
                v.add(Long.toString(p.records()));
                v.add(Long.toString(p.failed()));
                v.add(num(p.throughputPerSecond()));
                for (double d : new double[] {p.latencyP50Ms(), p.latencyP90Ms(), p.latencyP95Ms(), p.latencyP99Ms(),
                    p.latencyMaxMs(), p.queueP50Ms(), p.queueP99Ms(), p.computeP50Ms(), p.computeP99Ms(),
                    p.meanBatchSize()}) {
                    v.add(num(d));
                }
                v.add(sizes(p.batchSizes()));
                v.add(p.paddingShare() < 0 ? "" : num(p.paddingShare()));
                v.add(num(p.busyShare()));
            }
            v.add(Boolean.toString(run.onFront(p)));
            v.add(run.slo() == null ? "" : Boolean.toString(run.slo().meets(p)));
            v.add(Boolean.toString(run.isChosen(p)));
            v.add(Boolean.toString(p.timedOut()));
            v.add(s.modelThreads() == 0 ? "" : Integer.toString(s.modelThreads()));
            GenerationMeasures g = p.generation();
            for (double d : g == null ? new double[0] : new double[] {g.outputTokensPerSecond(), g.ttftP50Ms(),
                g.ttftP90Ms(), g.ttftP99Ms(), g.tpotP50Ms(), g.tpotP99Ms()}) {
                v.add(Double.isNaN(d) ? "" : num(d)); // NaN: static batches have no token times
            }
            while (v.size() < CSV_COLUMNS.size()) {
                v.add(""); // not a generation point, or one with no figures
            }
            out.write(String.join(",", v));
            out.write('\n');
        }
    }

    /** Batch sizes as {@code 16x90 1x10}: size x calls, largest first. */
    static String sizes(Map<Integer, Long> bySize) {
        List<Integer> keys = new ArrayList<>(bySize.keySet());
        StringBuilder b = new StringBuilder();
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(keys.get(i)).append('x').append(bySize.get(keys.get(i)));
        }
        return b.toString();
    }

    /** Milliseconds for the table, {@code -} for a time not measured (NaN). */
    private static String ms(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%.4f", d).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /**
     * One line per point, then the choice. Marks: {@code *} chosen, {@code P} on the Pareto front,
     * {@code ?} unstable, {@code !} records failed, {@code T} timed out (no figures).
     */
    public static String table(BenchRun run) {
        StringBuilder b = new StringBuilder();
        b.append("sweep: ").append(run.kindLabel()).append('\n');
        if (run.generates()) {
            b.append(String.format(Locale.ROOT, "%-2s %-26s %9s %8s %8s %8s %8s %8s %8s %7s %5s %7s%n", "", "point",
                    "tokens/s", "ttft50", "ttft99", "tpot50", "tpot99", "p99 ms", "running", "busy", "win", "failed"));
        } else {
            b.append(String.format(Locale.ROOT, "%-2s %-26s %9s %8s %8s %8s %8s %8s %6s %7s %5s %7s%n", "", "point",
                "records/s", "p50 ms", "p99 ms", "queue99", "comp99", "batch", "pad", "busy", "win", "failed"));
        }
        for (PointResult p : run.result().points()) {
            if (p.timedOut()) {
                b.append(String.format(Locale.ROOT, "%-2s %-26s %s%n", "T", p.setting().key(),
                        "timed out: a call of the function did not return in the point's time; no figures"));
                continue;
            }
            String mark = (run.isChosen(p) ? "*" : "") + (run.onFront(p) ? "P" : "") + (p.stable() ? "" : "?")
                    + (p.failed() > 0 ? "!" : "");
            GenerationMeasures g = p.generation();
            if (g != null) {
                b.append(String.format(Locale.ROOT, "%-2s %-26s %9.1f %8s %8s %8s %8s %8.2f %8.2f %6.1f%% %5d %7d%n",
                        mark, p.setting().key(), g.outputTokensPerSecond(), ms(g.ttftP50Ms()), ms(g.ttftP99Ms()),
                        ms(g.tpotP50Ms()), ms(g.tpotP99Ms()), p.latencyP99Ms(), p.meanBatchSize(), 100 * p.busyShare(),
                        p.windows(), p.failed()));
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-2s %-26s %9.1f %8.2f %8.2f %8.2f %8.2f %8.2f %6s %6.1f%% %5d %7d%n",
                    mark, p.setting().key(), p.throughputPerSecond(), p.latencyP50Ms(), p.latencyP99Ms(),
                    p.queueP99Ms(), p.computeP99Ms(), p.meanBatchSize(),
                    p.paddingShare() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * p.paddingShare()),
                    100 * p.busyShare(), p.windows(), p.failed()));
        }
        if (run.generates()) {
            b.append("milliseconds; ttft from the intended arrival to the first token, tpot per output token after "
                    + "it (- for static batches, which have none), p99 end to end; running: mean sequences per "
                    + "decoding step (per batch, static)\n");
        }
        b.append("* chosen  P on the Pareto front (throughput against p99)  ? unstable  ! records failed"
                + (run.result().timedOut() != null ? "  T timed out (not chosen)" : "") + "\n");
        run.result().loadNanos().forEach((w, n) -> b.append(String.format(Locale.ROOT,
                "loading %d worker%s: %.2f s (once, outside the points)%n", w, w == 1 ? "" : "s", n / 1e9)));
        long unstable = run.result().points().stream().filter(p -> !p.stable() && !p.timedOut()).count();
        if (unstable > 0) {
            b.append(String.format(Locale.ROOT, "%d of %d points did not stabilise (95%% interval of throughput%s "
                    + "within \u00b1%d%%) in %d windows%n", unstable, run.result().points().size(),
                    run.offline() ? "" : " and p99", Math.round(Stability.TOLERANCE * 100), run.plan().maxWindows()));
        }
        b.append(Recommendation.sentence(run));
        return b.toString();
    }

    /** The chosen point's server settings, each block with its note. */
    public static String servers(BenchRun run) {
        PointResult c = run.result().chosen();
        if (c == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (ServerSettings.Block block : ServerSettings.blocks(run, c)) {
            b.append(block.title()).append(":\n");
            block.text().lines().forEach(l -> b.append("  ").append(l).append('\n'));
            if (!block.note().isEmpty()) {
                b.append("  note: ").append(block.note()).append('\n');
            }
        }
        return b.toString();
    }
}
