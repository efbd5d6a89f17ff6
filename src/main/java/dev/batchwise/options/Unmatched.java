package dev.batchwise.options;

import dev.batchwise.util.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The message for an argument picocli could not place: an option of run that the front end refuses,
 * with why; or an unknown option or command, with the closest known ones first (picocli's own list is
 * ordered by another measure, and lists the right option anywhere among five).
 */
final class Unmatched {

    /**
     * Names other tools give batchwise's options (Hugging Face's and sentence-transformers'
     * {@code batch_size}), too far from ours by spelling for the closest-name search to find.
     */
    private static final Map<String, String> OTHER_TOOLS_NAMES = Map.of(
            "--batch-size", "--max-batch-size",
            "--batch_size", "--max-batch-size",
            "--bs", "--max-batch-size");

    private Unmatched() {}

    static String describe(CommandLine.UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        if (unmatched.isEmpty()) {
            return e.getMessage();
        }
        String arg = unmatched.get(0);
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (arg.startsWith("-") && arg.length() > 1) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (spec.userObject() instanceof Refusals.Refusing front) {
                String why = Refusals.refusal(name, front.frontEnd());
                if (why != null) {
                    return why;
                }
            }
            List<String> options = new ArrayList<>();
            for (OptionSpec o : spec.options()) {
                if (!o.hidden()) {
                    for (String n : o.names()) {
                        if (n.startsWith("--")) {
                            options.add(n);
                        }
                    }
                }
            }
            String ours = OTHER_TOOLS_NAMES.get(name);
            if (ours != null && options.contains(ours)) {
                return "unknown option '" + name + "'; did you mean '" + ours + "'? (batchwise's name for it: a batch "
                        + "holds at most that many records, fewer when fewer are waiting)";
            }
            return "unknown option '" + name + "'" + Suggestions.didYouMean(name, options);
        }
        if (!spec.subcommands().isEmpty()) {
            List<String> commands = new ArrayList<>(spec.subcommands().keySet());
            String dym = Suggestions.didYouMean(arg, commands);
            return "unknown command '" + arg + "'" + (dym.isEmpty() ? "; the commands are: " + String.join(", ", commands)
                    : dym);
        }
        return "unexpected argument '" + arg + "'" + (unmatched.size() > 1 ? " (and " + (unmatched.size() - 1)
                + " more)" : "") + ": " + spec.name() + " takes no " + (spec.positionalParameters().isEmpty()
                ? "arguments, only options" : "more arguments");
    }
}
