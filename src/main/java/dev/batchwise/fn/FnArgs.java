package dev.batchwise.fn;

import dev.batchwise.util.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --fn-arg KEY=VALUE} settings given to a function, with typed getters whose errors name
 * the function, the key and the accepted form.
 */
public final class FnArgs {

    private final String function;
    private final Map<String, String> values;

    public FnArgs(String function, Map<String, String> values) {
        this.function = function;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static FnArgs none(String function) {
        return new FnArgs(function, Map.of());
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** Rejects any key not in {@code known}, listing the known ones. */
    public FnArgs requireOnly(Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("function '" + function + "' has no argument '" + key + "'"
                        + (known.isEmpty() ? "; it takes none"
                                : dev.batchwise.util.Suggestions.hint(key, new TreeSet<>(known), "it takes")));
            }
        }
        return this;
    }

    public Duration duration(String key, Duration fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Durations.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("function '" + function + "', argument '" + key + "': " + e.getMessage());
        }
    }

    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("function '" + function + "', argument '" + key + "': '" + v
                    + "' is not a whole number from " + min + " to " + max);
        }
    }
}
