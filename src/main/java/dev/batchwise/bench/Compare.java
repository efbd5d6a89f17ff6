package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --compare A.json B.json}: two sweeps side by side, point by point (matched by
 * {@link Setting#key()}), with B's throughput and p99 as ratios of A's. With a threshold, says
 * whether B is slower: some point stable in both lost more than that share of A's throughput.
 */
public final class Compare {

    /** One matched point: A's and B's, either null when the other sweep alone has it. */
    public record Row(String key, PointResult a, PointResult b) {
        /** B's throughput (output tokens/s for generation) over A's, or NaN when not both measured it. */
        public double throughputRatio() {
            return a == null || b == null || a.objectiveRate() == 0 ? Double.NaN
                    : b.objectiveRate() / a.objectiveRate();
        }

        public double p99Ratio() {
            return a == null || b == null || a.latencyP99Ms() == 0 ? Double.NaN : b.latencyP99Ms() / a.latencyP99Ms();
        }

        /** Whether both are stable (so neither timed out), so their ratio means something. */
        public boolean comparable() {
            return a != null && b != null && a.stable() && b.stable();
        }
    }

    /** The comparison: the rows, and the rows where B is slower than the threshold allows. */
    public record Result(List<Row> rows, List<Row> slower) {}

    private Compare() {}

    /** @param failIfSlowerPct the most throughput B may lose, in percent; negative: no threshold */
    public static Result compare(List<PointResult> a, List<PointResult> b, double failIfSlowerPct) {
        Map<String, PointResult[]> byKey = new LinkedHashMap<>();
        for (PointResult p : a) {
            byKey.computeIfAbsent(p.setting().key(), k -> new PointResult[2])[0] = p;
        }
        for (PointResult p : b) {
            byKey.computeIfAbsent(p.setting().key(), k -> new PointResult[2])[1] = p;
        }
        List<Row> rows = new ArrayList<>();
        List<Row> slower = new ArrayList<>();
        byKey.forEach((key, pair) -> {
            Row r = new Row(key, pair[0], pair[1]);
            rows.add(r);
            if (failIfSlowerPct >= 0 && r.comparable() && r.throughputRatio() < 1 - failIfSlowerPct / 100) {
                slower.add(r);
            }
        });
        return new Result(rows, slower);
    }

    public static String table(Result result, String nameA, String nameB) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "A: %s%nB: %s%n", nameA, nameB));
        b.append(String.format(Locale.ROOT, "%-26s %10s %10s %7s %9s %9s %7s%n", "point", "A rec/s", "B rec/s",
                "B/A", "A p99", "B p99", "B/A"));
        for (Row r : result.rows()) {
            b.append(String.format(Locale.ROOT, "%-26s %10s %10s %7s %9s %9s %7s%s%n", r.key(),
                    r.a() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.a().objectiveRate()),
                    r.b() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.b().objectiveRate()),
                    ratio(r.throughputRatio()),
                    r.a() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.a().latencyP99Ms()),
                    r.b() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.b().latencyP99Ms()),
                    ratio(r.p99Ratio()),
                    r.a() == null ? "  (only in B)" : r.b() == null ? "  (only in A)"
                            : r.comparable() ? (result.slower().contains(r) ? "  SLOWER" : "")
                            : r.a().timedOut() || r.b().timedOut() ? "  (timed out)" : "  (unstable)"));
        }
        return b.toString();
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2fx", r);
    }
}
