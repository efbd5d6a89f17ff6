package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.CommandModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Help wraps at spaces only, at any width, so file names, paths and values copy whole. */
class HelpFormatTest {

    private static String help(CommandLine root, String command, int width) {
        CommandLine cl = command.isEmpty() ? root : root.getSubcommands().get(command);
        cl.setUsageHelpWidth(width);
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    /** Every word of the help's own texts, as its author wrote them. */
    private static List<String> words(CommandSpec spec) {
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        for (OptionSpec o : spec.options()) {
            texts.addAll(List.of(o.renderedDescription()));
        }
        spec.positionalParameters().forEach(p -> texts.addAll(List.of(p.renderedDescription())));
        spec.usageMessage().exitCodeList().values().forEach(texts::add);
        List<String> words = new ArrayList<>();
        for (String t : texts) {
            for (String w : t.replace("%n", " ").strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    /** 80: piped, or a standard terminal; 100 and 160: wider terminals (run's help follows the width). */
    @ParameterizedTest
    @ValueSource(ints = {80, 100, 160})
    void noWordOfAnyCommandsHelpIsBrokenAcrossLines(int width) {
        CommandLine root = CommandModel.commandLine();
        for (Map.Entry<String, CommandSpec> c : Map.of("", root.getCommandSpec(), "run",
                root.getSubcommands().get("run").getCommandSpec(), "models",
                root.getSubcommands().get("models").getCommandSpec(), "completion",
                root.getSubcommands().get("completion").getCommandSpec()).entrySet()) {
            String text = help(root, c.getKey(), width);
            List<String> lines = text.lines().toList();
            for (String word : words(c.getValue())) {
                assertTrue(lines.stream().anyMatch(l -> l.contains(word)),
                        () -> "'" + word + "' is broken across lines at width " + width + ":\n" + text);
            }
            for (String line : lines) {
                assertTrue(line.length() <= width || !line.strip().contains(" "),
                        () -> "a line wider than " + width + ": '" + line + "'");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {55, 80})
    void examplesTooLongForTheWidthContinueWithABackslashAndRunAsWritten(int width) {
        CommandLine root = CommandModel.commandLine();
        String text = help(root, "run", width);
        List<String> lines = text.lines().toList();
        int start = lines.indexOf("Examples:") + 1;
        List<String> joined = new ArrayList<>();
        StringBuilder command = new StringBuilder();
        for (String line : lines.subList(start, lines.size())) {
            command.append(command.length() == 0 ? line : " " + line.strip());
            if (line.endsWith(" \\")) {
                command.setLength(command.length() - 2);
            } else {
                joined.add(command.toString());
                command.setLength(0);
            }
        }
        List<String> written = List.of(root.getSubcommands().get("run").getCommandSpec().usageMessage().footer());
        assertEquals(written, joined);
        assertTrue(text.contains("--task classify --id ticket \\\n      samples/tickets.jsonl")
                || text.contains("samples/tickets.jsonl"), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"  batchwise run --model ./my-model/ --task classify --id ticket samples/tickets.jsonl",
        "  cat samples/words.jsonl | batchwise run --fn trim-words --workers 2 -o out.jsonl"})
    void anOptionStaysWithItsValue(String example) {
        List<String> lines = HelpFormat.render(example, 60);
        for (String l : lines) {
            assertTrue(!l.strip().endsWith(" -o \\") && !l.strip().endsWith("--id \\") && !l.strip().endsWith("--task \\"),
                    lines::toString);
            assertTrue(l.length() <= 60, lines::toString);
        }
    }

    @org.junit.jupiter.api.Test
    void eachCommandListsOnlyItsOwnExitCodes() {
        CommandLine root = CommandModel.commandLine();
        String models = help(root, "models", 80);
        assertTrue(models.contains("\n  5     a --plugin jar cannot be loaded"), models);
        assertTrue(models.contains("\n  4     standard output cannot be written"), models);
        assertTrue(!models.contains("130") && !models.contains("every record"), models);
        String completion = help(root, "completion", 80);
        assertTrue(!completion.contains("\n  1 ") && !completion.contains("\n  5 "), completion);
        String run = help(root, "run", 80);
        assertTrue(run.contains("\n  141   standard output closed"), run);
    }
}
