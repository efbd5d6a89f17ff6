package dev.batchwise.options;

import dev.batchwise.util.Bytes;
import dev.batchwise.util.Durations;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Option values typed as text (durations, sizes, choices) made into the values a run spec takes; a
 * value that is none is a mistake in its setting, named by the setting's key.
 */
final class Values {

    private Values() {}

    /** {@code 5s}, {@code 250ms}; a bare number is milliseconds. */
    static Duration duration(String setting, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingException(setting, Phrase.of("{" + setting + "}: %s", e.getMessage()));
        }
    }

    /** {@code 4096}, {@code 64KiB}, {@code 1MiB}. */
    static long size(String setting, String text) {
        try {
            return Bytes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SettingException(setting, Phrase.of("{" + setting + "}: %s", e.getMessage()));
        }
    }

    /**
     * One of an enum's constants, by its lower-case name.
     *
     * @param hint what follows the list of choices in the message, or empty
     */
    static <E extends Enum<E>> E choice(String setting, String text, Class<E> type, String hint) {
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        String choices = String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        throw new SettingException(setting, Phrase.of("{" + setting + "}: '%s' is not one of %s" + hint, text,
                choices));
    }
}
