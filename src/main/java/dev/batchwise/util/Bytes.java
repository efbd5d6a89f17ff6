package dev.batchwise.util;

import java.util.Locale;

/** Parses and formats byte sizes: {@code 512}, {@code 64KiB}, {@code 10MB}, {@code 1GiB}. */
public final class Bytes {

    private Bytes() {}

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /**
     * Parses {@code N}, {@code NKB}/{@code NKiB}, {@code NMB}/{@code NMiB}, {@code NGB}/{@code NGiB}
     * (case-insensitive; both spellings are powers of 1024).
     */
    public static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] u : new String[][] {{"KIB", "1024"}, {"KB", "1024"}, {"K", "1024"},
                {"MIB", "1048576"}, {"MB", "1048576"}, {"M", "1048576"},
                {"GIB", "1073741824"}, {"GB", "1073741824"}, {"G", "1073741824"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write e.g. 4096, 64KiB, 10MiB");
        }
    }
}
