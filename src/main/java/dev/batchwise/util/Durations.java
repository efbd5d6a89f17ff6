package dev.batchwise.util;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats the durations users type: {@code 5s}, {@code 250ms}, {@code 1.5s}, {@code 100us}, {@code 2m}. */
public final class Durations {

    private static final Pattern DURATION =
            Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ns|us|µs|ms|s|m|h)?");

    private Durations() {}

    /**
     * Parses a non-negative duration. A bare number is read as milliseconds, as {@code 0} is the
     * usual spelling of "no delay".
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 5s, 250ms, 1.5s, 100us, 2m");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        double nanosPerUnit = switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new AssertionError(unit);
        };
        double nanos = amount * nanosPerUnit;
        if (nanos > Long.MAX_VALUE) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** A short human form: {@code 850us}, {@code 12.3ms}, {@code 4.56s}, {@code 3m05s}. */
    public static String format(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1000) + "us";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1e6) + "ms";
        }
        if (nanos < 60_000_000_000L) {
            return trim(nanos / 1e9) + "s";
        }
        long seconds = nanos / 1_000_000_000L;
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    public static String format(Duration d) {
        return format(d.toNanos());
    }

    private static String trim(double v) {
        String s = v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
