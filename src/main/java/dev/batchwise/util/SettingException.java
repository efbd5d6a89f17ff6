package dev.batchwise.util;

import java.util.Locale;

/**
 * A setting of a run that cannot be used as given: a value out of its range, settings that exclude
 * each other, a column an input lacks. Carries the setting's key and the data of the mistake in its
 * {@link Phrase}; a front end adds its own name for the setting when it prints it. The exit code of a
 * usage error.
 */
public class SettingException extends IllegalArgumentException implements Phrased {

    private final String setting;
    private final transient Phrase phrase;
    private final boolean helpHelps;

    /**
     * @param setting the key of the setting at fault (its long option name without dashes)
     * @param phrase what is wrong and what to do
     */
    public SettingException(String setting, Phrase phrase) {
        this(setting, phrase, true);
    }

    /**
     * @param helpHelps whether a command line should say where its help is: not for a file that is
     *     named right but cannot serve (a jar that is no jar), which the help would not mend
     */
    public SettingException(String setting, Phrase phrase, boolean helpHelps) {
        super(phrase.toString());
        this.setting = setting;
        this.phrase = phrase;
        this.helpHelps = helpHelps;
    }

    /** Whether a command line should say where its help is, as for any usage error. */
    public boolean helpHelps() {
        return helpHelps;
    }

    /** {@code {setting*}: value is out of range; it must be from min to max}. */
    public static SettingException outOfRange(String setting, long value, long min, long max) {
        return new SettingException(setting, Phrase.of("{" + setting + "*}: %s is out of range; it must be from %s to %s",
                value, String.format(Locale.ROOT, "%,d", min), String.format(Locale.ROOT, "%,d", max)));
    }

    /** Checks that {@code value} is from {@code min} to {@code max}. */
    public static long inRange(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw outOfRange(setting, value, min, max);
        }
        return value;
    }

    /** The key of the setting at fault. */
    public String setting() {
        return setting;
    }

    @Override
    public Phrase phrase() {
        return phrase;
    }
}
