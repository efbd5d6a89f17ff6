package dev.batchwise.terminal;

import dev.batchwise.util.Human;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of the progress line, a pure function of what a run has done, so that it is tested
 * without a terminal or a clock. Parts are left out from the least important when the terminal is
 * narrow; the line never reaches the last column (a terminal wraps there).
 */
final class ProgressView {

    /** What the line shows at one moment. */
    record Snapshot(String loading, long records, long failed, long recordsRead, long bytesRead, long bytesTotal,
            double recordsPerSecond, long elapsedNanos) {
        /** While a function or model loads, before the first record: {@code loading} names it. */
        static Snapshot loading(String what, long elapsedNanos) {
            return new Snapshot(what, 0, 0, 0, 0, -1, Double.NaN, elapsedNanos);
        }

        /**
         * The share done: records written out of the records the input holds, estimated from the
         * bytes read against the size (records read so far, scaled to the whole size); NaN when
         * the size is unknown or nothing is read yet.
         */
        double fraction() {
            if (!sizeKnown() || bytesRead <= 0 || recordsRead <= 0) {
                return Double.NaN;
            }
            double total = recordsRead * ((double) bytesTotal / Math.min(bytesRead, bytesTotal));
            return Math.min(1.0, records / total);
        }

        /** Records still to come, by the same estimate. */
        double recordsLeft() {
            double f = fraction();
            return Double.isNaN(f) ? Double.NaN : records / Math.max(f, 1e-12) - records;
        }

        boolean sizeKnown() {
            return bytesTotal > 0;
        }
    }

    private ProgressView() {}

    static String render(Snapshot s, int width) {
        List<String> parts = new ArrayList<>(); // most important first
        if (s.loading() != null) {
            parts.add("loading " + s.loading() + " ...");
            parts.add(clock(s.elapsedNanos()));
            return fit(parts, width);
        }
        double fraction = s.fraction();
        parts.add(Human.count(s.records(), "record") + (Double.isNaN(fraction) ? ""
                : String.format(Locale.ROOT, " %3.0f%%", Math.floor(100 * fraction))));
        if (s.failed() > 0) {
            parts.add(Human.number(s.failed()) + " failed");
        }
        if (!Double.isNaN(s.recordsPerSecond())) {
            parts.add(String.format(Locale.ROOT, "%,.0f/s", s.recordsPerSecond()));
        }
        String eta = eta(s);
        parts.add(clock(s.elapsedNanos()) + (eta == null ? "" : " elapsed, " + eta + " left"));
        if (!Double.isNaN(fraction)) {
            parts.add(bar(fraction, 20));
        }
        return fit(parts, width);
    }

    /** Time left at the recent rate, or null when it cannot be told. */
    private static String eta(Snapshot s) {
        double left = s.recordsLeft();
        if (Double.isNaN(left) || Double.isNaN(s.recordsPerSecond()) || s.recordsPerSecond() <= 0) {
            return null;
        }
        double seconds = Math.max(0, left) / s.recordsPerSecond();
        return seconds > 99 * 3600 ? null : clock((long) (seconds * 1e9));
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
    static String clock(long nanos) {
        long t = Math.max(0, nanos / 1_000_000_000L);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }

    private static String bar(double fraction, int cells) {
        int full = (int) Math.round(fraction * cells);
        return "[" + "#".repeat(full) + ".".repeat(cells - full) + "]";
    }

    /** As many parts, in order, as fit in {@code width - 1} columns, two spaces apart. */
    private static String fit(List<String> parts, int width) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            int needed = (b.length() == 0 ? 0 : 2) + p.length();
            if (b.length() + needed > width - 1) {
                break;
            }
            b.append(b.length() == 0 ? "" : "  ").append(p);
        }
        if (b.length() == 0 && !parts.isEmpty()) {
            b.append(parts.get(0), 0, Math.max(0, Math.min(parts.get(0).length(), width - 1)));
        }
        return b.toString();
    }
}
