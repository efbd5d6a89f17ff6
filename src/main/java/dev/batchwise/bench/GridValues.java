package dev.batchwise.bench;

import dev.batchwise.util.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Parses the comma-separated lists of the grid options: {@code 1,4,16}, {@code 0,2ms,10ms},
 * {@code 50,100,200}. Every mistake is an {@link IllegalArgumentException} naming the option and the
 * value.
 */
public final class GridValues {

    private GridValues() {}

    public static List<Integer> integers(String option, String text) {
        return list(option, text, v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a whole number");
            }
        });
    }

    /** Durations in nanoseconds; a bare number is milliseconds, as in {@code batchwise run}. */
    public static List<Long> durations(String option, String text) {
        return list(option, text, v -> Durations.parse(v).toNanos());
    }

    /** One duration in nanoseconds; a bare number is milliseconds. */
    public static long duration(String option, String text) {
        try {
            return Durations.parse(text).toNanos();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Rates in records per second. */
    public static List<Double> rates(String option, String text) {
        return list(option, text, v -> {
            double r;
            try {
                r = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a rate (records per second), nor 'auto'");
            }
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("'" + v + "' is not a positive rate");
            }
            return r;
        });
    }

    private static <T> List<T> list(String option, String text, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String v = part.strip();
            if (v.isEmpty()) {
                throw new IllegalArgumentException(option + ": '" + text + "' has an empty value; write a list "
                        + "such as 1,4,16");
            }
            try {
                out.add(parse.apply(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
        return out;
    }
}
