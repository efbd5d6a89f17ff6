package dev.batchwise.terminal;

import java.util.Map;

/**
 * Terminal manners for standard error: colour and the live progress line only when standard error
 * is a terminal, {@code NO_COLOR} is unset or empty (no-color.org) and {@code TERM} is not
 * {@code dumb}. Otherwise every method returns its text unchanged, so piped and redirected output
 * carries no escape codes. Standard output never gets any: it carries data only.
 */
public final class Style {

    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";
    private static final String RED = "\033[31m";
    private static final String YELLOW = "\033[33m";

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    /** The style for standard error, from the environment and whether it is a terminal. */
    public static Style of(Map<String, String> env, boolean stderrIsTerminal) {
        String noColor = env.get("NO_COLOR");
        boolean enabled = stderrIsTerminal && (noColor == null || noColor.isEmpty())
                && !"dumb".equals(env.get("TERM"));
        return new Style(enabled);
    }

    /** Whether standard error is an interactive terminal that takes escape codes (for the progress line). */
    public boolean interactive() {
        return enabled;
    }

    public String error(String text) {
        return paint(BOLD + RED, text);
    }

    public String warning(String text) {
        return paint(YELLOW, text);
    }

    public String bold(String text) {
        return paint(BOLD, text);
    }

    private String paint(String code, String text) {
        return enabled ? code + text + RESET : text;
    }
}
