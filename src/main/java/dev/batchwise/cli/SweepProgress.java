package dev.batchwise.cli;

import dev.batchwise.bench.PointResult;
import dev.batchwise.bench.Setting;
import dev.batchwise.bench.Sweep;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress on a terminal: the point being measured, then one line per point as it ends.
 *
 * @param shown whether to show it; nothing is written when not
 */
record SweepProgress(PrintWriter err, boolean shown) implements Sweep.Progress, AutoCloseable {

    @Override
    public void loaded(int workers, long loadNanos) {
        if (shown) {
            err.printf(Locale.ROOT, "\r\033[Kloaded %d worker%s in %.2f s%n", workers, workers == 1 ? "" : "s",
                    loadNanos / 1e9);
            err.flush();
        }
    }

    @Override
    public void starting(int index, int total, Setting s) {
        if (shown) {
            err.printf(Locale.ROOT, "\r\033[K[%d/%d] %s: measuring...", index, total, s.key());
            err.flush();
        }
    }

    @Override
    public void finished(int index, int total, PointResult r) {
        if (shown && r.timedOut()) {
            err.printf(Locale.ROOT, "\r\033[K[%d/%d] %-26s timed out%n", index, total, r.setting().key());
            err.flush();
        } else if (shown && r.generation() != null && r.generation().tokenTimes()) {
            err.printf(Locale.ROOT, "\r\033[K[%d/%d] %-26s %9.1f tokens/s  ttft p99 %8.2f ms  tpot p99 %7.2f ms  %s%n",
                    index, total, r.setting().key(), r.generation().outputTokensPerSecond(),
                    r.generation().ttftP99Ms(), r.generation().tpotP99Ms(),
                    r.stable() ? "stable" : "unstable after " + r.windows() + " windows");
            err.flush();
        } else if (shown) {
            err.printf(Locale.ROOT, "\r\033[K[%d/%d] %-26s %9.1f records/s  p99 %8.2f ms  %s%n", index, total,
                    r.setting().key(), r.throughputPerSecond(), r.latencyP99Ms(),
                    r.stable() ? "stable" : "unstable after " + r.windows() + " windows");
            err.flush();
        }
    }

    @Override
    public void close() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
