package dev.batchwise.bench;

import dev.batchwise.util.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency budgets a chosen point must meet, all of them: {@code p99=200ms} (end-to-end latency at a
 * percentile, from the intended arrival), and for generation {@code ttft_p99=2s} (time to first token)
 * and {@code tpot_p99=50ms} (time per output token after the first). Immutable.
 */
public record Slo(List<Budget> budgets) {

    /** What a budget limits. */
    public enum Measure {
        /** End-to-end latency: p50, p95 or p99. */
        LATENCY("", List.of(50, 95, 99)),
        /** Time to first token: p50, p90 or p99, the percentiles the run's stats keep. */
        TTFT("ttft_", List.of(50, 90, 99)),
        /** Time per output token after the first: p50 or p99. */
        TPOT("tpot_", List.of(50, 99));

        /** How its keys begin, {@code ttft_}. */
        final String prefix;
        /** The percentiles it is measured at. */
        final List<Integer> percentiles;

        Measure(String prefix, List<Integer> percentiles) {
            this.prefix = prefix;
            this.percentiles = percentiles;
        }

        /** Whether it is measured only for generation. */
        public boolean generationOnly() {
            return this != LATENCY;
        }
    }

    /** One budget: the measure at a percentile must be at most {@code limitMs}. */
    public record Budget(Measure measure, int percentile, double limitMs) {
        public Budget {
            if (!measure.percentiles.contains(percentile)) {
                throw new IllegalArgumentException("an SLO on " + measure.prefix + "pNN is on "
                        + keys(measure) + ", not p" + percentile);
            }
            if (!(limitMs > 0)) {
                throw new IllegalArgumentException("an SLO's limit must be positive");
            }
        }

        /** Whether {@code p} is within this budget; a point without the measure is not. */
        boolean meets(PointResult p) {
            if (p.timedOut()) {
                return false;
            }
            return switch (measure) {
                case LATENCY -> p.latencyMs(percentile) <= limitMs;
                case TTFT -> p.generation() != null && p.generation().ttftMs(percentile) <= limitMs;
                case TPOT -> p.generation() != null && p.generation().tpotMs(percentile) <= limitMs;
            };
        }

        /** {@code ttft_p99<=2s}. */
        public String label() {
            return measure.prefix + "p" + percentile + "<=" + Durations.format(Math.round(limitMs * 1e6));
        }
    }

    private static final Pattern FORM = Pattern.compile("(ttft_|tpot_)?p(\\d+)\\s*(?:=|<=)\\s*(.+)");

    public Slo {
        budgets = List.copyOf(budgets);
        if (budgets.isEmpty()) {
            throw new IllegalArgumentException("an SLO has a budget at least");
        }
    }

    /** One end-to-end latency budget. */
    public Slo(int percentile, double limitMs) {
        this(List.of(new Budget(Measure.LATENCY, percentile, limitMs)));
    }

    /**
     * Parses a comma-separated list of budgets: {@code p99=200ms}, {@code p95=1s}, {@code p50=20}
     * (milliseconds), {@code ttft_p99=2s}, {@code tpot_p50=40ms}.
     */
    public static Slo parse(String text) {
        List<Budget> budgets = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            budgets.add(budget(part));
        }
        return new Slo(budgets);
    }

    private static Budget budget(String text) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        Measure measure = !m.matches() || m.group(1) == null ? Measure.LATENCY
                : m.group(1).equals("ttft_") ? Measure.TTFT : Measure.TPOT;
        if (!m.matches() || m.group(2).length() > 3 || !measure.percentiles.contains(Integer.parseInt(m.group(2)))) {
            throw new IllegalArgumentException("--slo: '" + text + "' is not a latency budget; write e.g. p99=200ms "
                    + "(p50, p95 or p99), ttft_p99=2s (ttft_p50, ttft_p90, ttft_p99) or tpot_p99=100ms "
                    + "(tpot_p50, tpot_p99), several separated by commas");
        }
        int percentile = Integer.parseInt(m.group(2));
        long nanos;
        try {
            nanos = Durations.parse(m.group(3)).toNanos();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--slo: " + e.getMessage());
        }
        if (nanos <= 0) {
            throw new IllegalArgumentException("--slo: the limit must be more than 0");
        }
        return new Budget(measure, percentile, nanos / 1e6);
    }

    private static String keys(Measure measure) {
        return String.join(", ", measure.percentiles.stream().map(p -> measure.prefix + "p" + p).toList());
    }

    /** Whether {@code p} is within every budget; a timed-out point, which has no latency, is not. */
    public boolean meets(PointResult p) {
        return budgets.stream().allMatch(b -> b.meets(p));
    }

    /** Whether a budget is on time to first token or per output token, which only generation measures. */
    public boolean onGeneration() {
        return budgets.stream().anyMatch(b -> b.measure().generationOnly());
    }

    /** The end-to-end latency limit of the first budget on it, in milliseconds; NaN when none is. */
    public double latencyLimitMs() {
        return budgets.stream().filter(b -> b.measure() == Measure.LATENCY).mapToDouble(Budget::limitMs)
                .findFirst().orElse(Double.NaN);
    }

    /** {@code p99<=200ms}, {@code ttft_p99<=2s,tpot_p99<=100ms}. */
    public String label() {
        return String.join(",", budgets.stream().map(Budget::label).toList());
    }
}
