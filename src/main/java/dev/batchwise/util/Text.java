package dev.batchwise.util;

/** Text as users see it: cut by code point, and made safe to print on a terminal. */
public final class Text {

    private Text() {}

    /**
     * The first {@code n} code points of {@code s} (all of it when it has fewer), so that a character
     * outside the BMP, such as an emoji, is kept or dropped whole, never cut to a lone surrogate.
     */
    public static String firstCodePoints(String s, long n) {
        if (n <= 0) {
            return "";
        }
        int points = s.codePointCount(0, s.length());
        return n >= points ? s : s.substring(0, s.offsetByCodePoints(0, (int) n));
    }

    /** {@code s} cut to at most {@code max} code points, the cut marked with "...". */
    public static String abbreviate(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : firstCodePoints(s, max - 3) + "...";
    }

    /**
     * {@code s} with every character that could steer a terminal or forge a line written as an escape:
     * C0 controls ({@code \n}, {@code \r}, {@code \t}, ESC as {@code \x1b}, ...), DEL, C1 controls
     * (U+0080 to U+009F), the line and paragraph separators, the bidirectional overrides and isolates,
     * and lone surrogates, as {@code \\uXXXX}. A backslash is left as it is. For every user value
     * (record values, file names, function messages) that reaches standard error.
     */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        int i = 0;
        while (i < s.length() && !unsafe(s, i)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(s, i)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean unsafe(String s, int i) {
        char c = s.charAt(i);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        if (c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f' || c == '\u061c') {
            return true;
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }
}
