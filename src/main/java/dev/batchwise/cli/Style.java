package dev.batchwise.cli;

import java.util.Map;

/**
 * Terminal manners for standard error: colour and the live progress line only when standard error
 * is a terminal, {@code NO_COLOR} is unset or empty (no-color.org) and {@code TERM} is not
 * {@code dumb}. Otherwise every method returns its text unchanged, so piped and redirected output
 * carries no escape codes. Standard output never gets any: it carries data only.
 */
final class Style {

    private static final String RESET = "\033[0m";
    private static final String BOLD = "\033[1m";
    private static final String RED = "\033[31m";
    private static final String YELLOW = "\033[33m";

    private final boolean enabled;

    private Style(boolean enabled) {
        this.enabled = enabled;
    }

    static Style of(Io io) {
        Map<String, String> env = io.env();
        String noColor = env.get("NO_COLOR");
        boolean enabled = io.stderrIsTerminal() && (noColor == null || noColor.isEmpty())
                && !"dumb".equals(env.get("TERM"));
        return new Style(enabled);
    }

    /** Whether standard error is an interactive terminal that takes escape codes (for the progress line). */
    boolean interactive() {
        return enabled;
    }

    String error(String text) {
        return paint(BOLD + RED, text);
    }

    String warning(String text) {
        return paint(YELLOW, text);
    }

    String bold(String text) {
        return paint(BOLD, text);
    }

    private String paint(String code, String text) {
        return enabled ? code + text + RESET : text;
    }
}
