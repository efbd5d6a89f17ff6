package dev.batchwise.bench;

import dev.batchwise.util.Durations;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency budget, {@code p99=200ms}: the end-to-end latency at a percentile (50, 95 or 99) must
 * be at most the limit. Immutable.
 */
public record Slo(int percentile, double limitMs) {

    private static final Pattern FORM = Pattern.compile("p(50|95|99)\\s*(?:=|<=)\\s*(.+)");

    public Slo {
        if (percentile != 50 && percentile != 95 && percentile != 99) {
            throw new IllegalArgumentException("an SLO is on p50, p95 or p99, not p" + percentile);
        }
        if (!(limitMs > 0)) {
            throw new IllegalArgumentException("an SLO's limit must be positive");
        }
    }

    /** Parses {@code p99=200ms}, {@code p95=1s}, {@code p50=20} (milliseconds). */
    public static Slo parse(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("--slo: '" + text + "' is not a latency budget; write e.g. p99=200ms "
                    + "(p50, p95 or p99)");
        }
        long nanos;
        try {
            nanos = Durations.parse(m.group(2)).toNanos();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--slo: " + e.getMessage());
        }
        if (nanos <= 0) {
            throw new IllegalArgumentException("--slo: the limit must be more than 0");
        }
        return new Slo(Integer.parseInt(m.group(1)), nanos / 1e6);
    }

    /** Whether {@code p}'s latency is within the budget; a timed-out point, which has no latency, is not. */
    public boolean meets(PointResult p) {
        return !p.timedOut() && p.latencyMs(percentile) <= limitMs;
    }

    /** {@code p99<=200ms}. */
    public String label() {
        return "p" + percentile + "<=" + Durations.format(Math.round(limitMs * 1e6));
    }
}
