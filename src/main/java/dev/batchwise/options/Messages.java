package dev.batchwise.options;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * picocli's own usage-error texts in batchwise's wording: the option first, as in batchwise's own
 * messages ({@code --max-delay: 'soon' is not a duration}), with type names people read (no
 * "option option", no "not an int").
 */
final class Messages {

    private static final Pattern INVALID = Pattern.compile("Invalid value for (?:option|positional parameter at index "
            + "\\d+) '?([^':]+)'?: (.*)", Pattern.DOTALL);
    private static final Pattern MISSING = Pattern.compile("Missing required parameter for option '([^']+)' \\(([^)]+)\\)");
    private static final Pattern KEY_VALUE = Pattern.compile("Value for option (?:option )?'([^']+)' \\(([^)]+)\\) "
            + "should be in KEY=VALUE format but was (.*)");

    private Messages() {}

    static String tidy(String message) {
        if (message == null) {
            return "";
        }
        Matcher m = INVALID.matcher(message);
        if (m.matches()) {
            return m.group(1) + ": " + types(m.group(2));
        }
        m = MISSING.matcher(message);
        if (m.matches()) {
            return m.group(1) + " needs a value: " + m.group(1) + " " + m.group(2);
        }
        m = KEY_VALUE.matcher(message);
        if (m.matches()) {
            return m.group(1) + ": '" + m.group(3) + "' is not " + m.group(2) + "; write e.g. " + m.group(1) + " "
                    + example(m.group(2));
        }
        return message.replace("option option", "option");
    }

    private static String types(String text) {
        return text.replace("is not an int", "is not a whole number").replace("is not a long", "is not a whole number")
                .replace("is not a double", "is not a number").replace("is not a float", "is not a number");
    }

    private static String example(String label) {
        return switch (label) {
            case "KEY=VALUE" -> "delay=5s";
            case "PARAM=COLUMN" -> "text=review";
            default -> label;
        };
    }
}
