package dev.batchwise.testing;

import dev.batchwise.cli.BatchwiseCommand;
import dev.batchwise.cli.Io;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's own model, so that tests of generated documents (completion script, man
 * pages) check them against every command and option there is, instead of a list written by hand.
 */
public final class CommandModel {

    private CommandModel() {}

    /** The command line exactly as {@code Main} configures it. */
    public static CommandLine commandLine() {
        return BatchwiseCommand.commandLine(new Io(InputStream.nullInputStream(), OutputStream.nullOutputStream(),
                Map.of(), false, Io.Signals.NONE));
    }

    /** {@code batchwise} and every subcommand below it, depth first. */
    public static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        collect(commandLine().getCommandSpec(), all);
        return all;
    }

    private static void collect(CommandSpec spec, List<CommandSpec> into) {
        into.add(spec);
        for (CommandLine sub : spec.subcommands().values()) {
            if (!into.contains(sub.getCommandSpec())) {
                collect(sub.getCommandSpec(), into);
            }
        }
    }

    /** Every name of every option of {@code spec}: {@code -b} and {@code --max-batch-size} both. */
    public static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            names.addAll(List.of(option.names()));
        }
        return names;
    }

    /**
     * The options of {@code spec} that {@code text} does not name as a whole word; a negatable
     * option may be named in the {@code --[no-]name} form usage help gives it.
     */
    public static List<String> optionsNotMentioned(CommandSpec spec, String text) {
        List<String> missing = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            for (String name : option.names()) {
                String names = Pattern.quote(name);
                if (option.negatable() && name.startsWith("--")) {
                    names += "|" + Pattern.quote("--[no-]" + name.substring(2));
                }
                if (!Pattern.compile("(?<![\\w-])(" + names + ")(?![\\w-])").matcher(text).find()) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }

    /** {@code batchwise-run} for {@code batchwise run}: the name of its man page and completion function. */
    public static String dashedName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }
}
