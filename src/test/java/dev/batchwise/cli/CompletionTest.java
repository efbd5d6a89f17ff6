package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.CommandModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/** {@code batchwise completion}: a bash/zsh script that knows every command and option. */
class CompletionTest {

    @TempDir
    Path dir;

    private static String script() {
        Cli.Run run = Cli.run("completion");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.err());
        return run.out();
    }

    /** The body of the script's function for one command, up to the next function. */
    private static String functionOf(String script, CommandSpec spec) {
        String name = "function _picocli_" + CommandModel.dashedName(spec).replace('-', '_') + "()";
        int start = script.indexOf(name);
        assertTrue(start >= 0, () -> "no completion function for '" + spec.qualifiedName() + "': " + name);
        int end = script.indexOf("\nfunction ", start + name.length());
        return script.substring(start, end < 0 ? script.length() : end);
    }

    @Test
    void everyCommandHasAFunctionThatOffersEveryOneOfItsOptions() {
        String script = script();
        for (CommandSpec spec : CommandModel.commands()) {
            String function = functionOf(script, spec);
            assertEquals(List.of(), CommandModel.optionsNotMentioned(spec, function),
                    "options of '" + spec.qualifiedName() + "' the completion leaves out");
            for (String sub : spec.subcommands().keySet()) {
                assertTrue(function.contains(sub), () -> "'" + spec.qualifiedName() + "' does not offer " + sub);
            }
        }
    }

    /** Sources the script in bash and asks it to complete {@code words}, the last being the cursor's. */
    private List<String> complete(Path script, String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String bash = "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"" + line
                + "\"; COMP_POINT=${#COMP_LINE}; _complete_batchwise 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        String[] command = new String[words.length + 5];
        command[0] = "bash";
        command[1] = "-c";
        command[2] = bash;
        command[3] = "bash"; // $0
        command[4] = script.toString();
        System.arraycopy(words, 0, command, 5, words.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).sorted().toList();
    }

    @Test
    void bashCompletesCommandsOptionsAndEnumValues() throws Exception {
        Path script = Files.writeString(dir.resolve("batchwise"), script());
        CommandSpec root = CommandModel.commandLine().getCommandSpec();
        CommandSpec run = root.subcommands().get("run").getCommandSpec();

        assertEquals(root.subcommands().keySet().stream().sorted().toList(), complete(script, "batchwise", ""));
        assertEquals(CommandModel.optionNames(run).stream().filter(n -> n.startsWith("--max-")).sorted().toList(),
                complete(script, "batchwise", "run", "--max-"));
        List<String> formats = new java.util.ArrayList<>();
        run.findOption("--output-format").completionCandidates().forEach(formats::add);
        assertEquals(formats.stream().sorted().toList(), complete(script, "batchwise", "run", "--output-format", ""));
        assertTrue(formats.contains("csv"), formats::toString);
    }

    @Test
    void inputFilesFunctionsModelsAndEveryEnumsValuesComplete() throws Exception {
        Path script = Files.writeString(dir.resolve("batchwise"), script());
        // relative to the directory the test runs in: the checkout, with samples/
        assertTrue(complete(script, "batchwise", "run", "samples/sen").contains("samples/sentences.txt"));
        assertTrue(complete(script, "batchwise", "run", "--fn", "echo", "samples/wor").containsAll(
                List.of("samples/words.csv", "samples/words.jsonl")));
        // every function on the class path (the tests add some of their own)
        assertTrue(complete(script, "batchwise", "run", "--fn", "").containsAll(List.of("echo", "trim-words")));
        assertEquals(List.of("trim-words"), complete(script, "batchwise", "run", "--fn", "tr"));
        assertEquals(List.of("minilm", "minilm-q"), complete(script, "batchwise", "run", "--model", "min"));
        assertTrue(complete(script, "batchwise", "run", "--model", "sam").contains("samples"), "a model path");
        assertEquals(List.of("csv", "jsonl", "openai-batch", "text", "tsv"),
                complete(script, "batchwise", "run", "--format", ""));
        assertEquals(List.of("csv", "jsonl", "npy", "parquet"), complete(script, "batchwise", "run", "--output-format", ""));
        assertEquals(List.of("base64", "binary", "float", "float16", "int8"),
                complete(script, "batchwise", "run", "--embedding-format", ""));
        assertEquals(List.of("cls", "last", "mean", "none"), complete(script, "batchwise", "run", "--pooling", ""));
        assertEquals(List.of("classify", "embed", "generate", "raw", "score"), complete(script, "batchwise", "run", "--task",
                ""));
        assertEquals(List.of("continuous", "static"), complete(script, "batchwise", "run", "--batching", ""));
        assertEquals(List.of("burst", "constant", "poisson"), complete(script, "batchwise", "run", "--arrival", ""));
        assertEquals(List.of("continue", "stop"), complete(script, "batchwise", "run", "--on-error", ""));
    }

    /**
     * Values a user types freely (numbers, durations, paths, lists of them, column names): no list of
     * values to offer. Every other option that takes a value has one, and completion offers it.
     */
    private static final java.util.Set<String> FREE_FORM = java.util.Set.of("N", "K", "T", "P", "TEXT", "MIB", "TOKENS", "PER_SECOND", "PCT",
            "SIZE", "DURATION", "LIST", "FILE", "FILE.html", "DIR", "JAR", "COLUMN", "PARAM=COLUMN", "KEY=VALUE");

    @Test
    void everyOptionWithAFixedSetOfValuesOffersThemInEveryCommand() throws Exception {
        Path script = Files.writeString(dir.resolve("batchwise"), script());
        List<String> missing = new java.util.ArrayList<>();
        for (CommandSpec spec : CommandModel.commands()) {
            for (picocli.CommandLine.Model.OptionSpec o : spec.options()) {
                if (o.arity().max == 0 || FREE_FORM.contains(o.paramLabel())) {
                    continue;
                }
                List<String> values = new java.util.ArrayList<>();
                if (o.completionCandidates() != null) {
                    o.completionCandidates().forEach(values::add);
                }
                List<String> words = new java.util.ArrayList<>(List.of(spec.qualifiedName().split(" ")));
                words.addAll(List.of(o.longestName(), ""));
                List<String> offered = values.isEmpty() ? List.of() : complete(script, words.toArray(String[]::new));
                if (values.isEmpty() || !offered.containsAll(values)) {
                    missing.add(spec.qualifiedName() + " " + o.longestName() + " " + o.paramLabel() + ": offers "
                            + offered + " of " + values);
                }
            }
        }
        assertEquals(List.of(), missing, "options whose values completion does not offer");
    }

    @Test
    void benchCompletesItsOwnChoicesAndTheSloUpToItsEquals() throws Exception {
        Path script = Files.writeString(dir.resolve("batchwise"), script());
        assertEquals(List.of("burst", "constant", "poisson"), complete(script, "batchwise", "bench", "--arrival", ""));
        assertEquals(List.of("latency", "throughput"), complete(script, "batchwise", "bench", "--objective", ""));
        assertEquals(List.of("auto"), complete(script, "batchwise", "bench", "--rate", "a"));
        assertEquals(List.of("p95=", "p99="), complete(script, "batchwise", "bench", "--slo", "p9"));
        assertEquals(List.of("classify", "embed", "generate", "raw", "score"), complete(script, "batchwise", "bench", "--task", ""));
        // the choices are the shared option's: bench refuses openai-batch with its reason once parsed
        assertEquals(List.of("csv", "jsonl", "openai-batch", "text", "tsv"), complete(script, "batchwise", "bench", "--format", ""));
        assertTrue(script().contains("compopt -o nospace"), "p99= is followed by the budget, not a space");
    }
}
