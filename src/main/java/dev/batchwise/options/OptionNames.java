package dev.batchwise.options;

import dev.batchwise.util.Phrase;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command line's names for the settings of a run: a setting's key is its long option name without
 * the dashes, so {@code max-batch-size} is {@code --max-batch-size}, or {@code -b/--max-batch-size}
 * with all its names. A setting the command lacks is named as run names it.
 */
public final class OptionNames implements Phrase.Names {

    private static final CommandSpec RUN = RunOptions.model();

    private final CommandSpec command;

    public OptionNames(CommandSpec command) {
        this.command = command;
    }

    @Override
    public String name(String key, Phrase.Form form) {
        OptionSpec o = command.findOption("--" + key);
        if (o == null) {
            o = RUN.findOption("--" + key);
        }
        if (o == null) {
            return key;
        }
        return switch (form) {
            case USUAL -> o.longestName();
            case ALL -> String.join("/", o.names());
            case SHORT -> o.shortestName();
        };
    }
}
