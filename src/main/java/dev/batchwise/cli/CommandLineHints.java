package dev.batchwise.cli;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Mistakes of typing that picocli cannot see, caught before they turn into a misleading error
 * later: a unit written apart from its number ({@code --max-delay 20 ms}) makes the unit an input
 * file ("ms: no such file").
 */
final class CommandLineHints {

    /** The units of durations (Durations) and sizes (Bytes), as typed. */
    private static final Set<String> UNITS = Set.of("ns", "us", "µs", "ms", "s", "sec", "secs", "m", "min", "h",
            "b", "k", "kb", "kib", "mb", "mib", "g", "gb", "gib");
    private static final Pattern ENDS_IN_NUMBER = Pattern.compile(".*\\d");

    private CommandLineHints() {}

    /**
     * @param files the positional arguments picocli took as input files
     * @throws CommandLine.ParameterException when one of them is a unit that follows a number
     */
    static void checkSpacedUnits(CommandLine cl, List<String> files) {
        List<String> args = cl.getParseResult() == null ? List.of() : cl.getParseResult().originalArgs();
        for (int i = 1; i < args.size(); i++) {
            String word = args.get(i);
            if (!files.contains(word) || !UNITS.contains(word.toLowerCase(Locale.ROOT))
                    || java.nio.file.Files.exists(java.nio.file.Path.of(word))) {
                continue;
            }
            String number = args.get(i - 1);
            if (!ENDS_IN_NUMBER.matcher(number).matches()) {
                continue;
            }
            String option = i >= 2 && args.get(i - 2).startsWith("-") && !number.startsWith("-") ? args.get(i - 2) + " "
                    : "";
            throw new CommandLine.ParameterException(cl, "'" + option + number + " " + word + "': write the unit "
                    + "right after the number, as in " + option + number + word + " (apart, '" + word
                    + "' is read as an input file)");
        }
    }
}
