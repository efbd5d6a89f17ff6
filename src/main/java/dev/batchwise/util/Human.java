package dev.batchwise.util;

import java.util.Locale;

/**
 * Numbers in text for people, one way everywhere: whole numbers with thousands separators
 * ({@code 6,301}), counts with their noun in the right number ({@code 1 record}, {@code 2 records}).
 * Machine-read text (JSON, CSV, file names, option values to copy) keeps plain digits.
 */
public final class Human {

    private Human() {}

    /** {@code 6301} as {@code 6,301}. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 record}, {@code 2,758 records}: the noun's plural is the noun and an "s". */
    public static String count(long n, String noun) {
        return count(n, noun, noun + "s");
    }

    /** {@code 1 batch}, {@code 3 batches}. */
    public static String count(long n, String singular, String plural) {
        return number(n) + " " + (n == 1 ? singular : plural);
    }
}
