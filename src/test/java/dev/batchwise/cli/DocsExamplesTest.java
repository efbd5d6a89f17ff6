package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.ShellExamples;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every shell example of the README and of docs/ that calls batchwise is parsed by batchwise's own
 * command line, so that no page shows an option, a value or a command that does not exist; the quick
 * ones (a run or a listing over files that are there, with no plugin jar to build, nothing to resume
 * and no call that sleeps a second) are also run, their outputs written into a temporary directory,
 * and must end as a run that worked (exit 0, or 1 where the sample input holds records that fail on
 * purpose). The test lists what it parsed and what it ran on standard output. (Examples whose output
 * is checked are in the tests of what they show.)
 */
class DocsExamplesTest {

    @TempDir
    Path outputs;

    /** Options whose value is a path the run writes: run in the temporary directory instead. */
    private static final Set<String> WRITTEN = Set.of("-o", "--output", "--errors", "--stats-json");

    static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        if (Files.isDirectory(Path.of("docs"))) {
            try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
                docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        return pages;
    }

    @Test
    void everyBatchwiseCommandInTheDocsParsesAndTheQuickOnesRun() throws Exception {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        List<String> ran = new ArrayList<>();
        for (Path page : pages()) {
            for (ShellExamples.Invocation call : ShellExamples.batchwiseCalls(page)) {
                CommandLine cl = BatchwiseCommand.commandLine(new Io(java.io.InputStream.nullInputStream(),
                        new ByteArrayOutputStream(), Map.of(), false, Io.Signals.NONE));
                CommandLine.ParseResult result;
                try {
                    result = cl.parseArgs(call.args().toArray(String[]::new));
                    parsed++;
                    System.out.println("parsed " + call);
                } catch (CommandLine.ParameterException e) {
                    failures.add(call + "\n    " + e.getMessage());
                    continue;
                }
                if (quick(call.args(), result)) {
                    Cli.Run run = Cli.run(java.io.InputStream.nullInputStream(), Io.Signals.NONE,
                            Map.of("BATCHWISE_CACHE_DIR", Models.CACHE_DIR.toString()), false,
                            inOutputs(call.args()).toArray(String[]::new));
                    System.out.println("ran    " + call + " -> exit " + run.exitCode());
                    ran.add(call.toString());
                    if (run.exitCode() > 1 || run.err().contains("\tat ")) {
                        failures.add(call + "\n    " + run);
                    }
                }
            }
        }
        assertEquals(List.of(), failures, "examples that batchwise's command line refuses, or that fail when run");
        assertTrue(parsed > 10, "the docs show batchwise commands: " + parsed + " parsed");
        assertTrue(ran.size() > 5, "the quick examples run: " + ran);
    }

    /**
     * A listing, or a run over input files that are all there (none read from a pipe the example sets
     * up), with no plugin jar to build first, nothing to resume, and no call that sleeps a second.
     */
    private static boolean quick(List<String> args, CommandLine.ParseResult result) {
        CommandLine.ParseResult sub = result.subcommand();
        if (sub == null || !List.of("run", "models").contains(sub.commandSpec().name()) || sub.isUsageHelpRequested()
                || sub.isVersionHelpRequested()) {
            return false;
        }
        if (args.contains("--plugin") || args.contains("--resume") || args.stream().anyMatch(a -> a.contains("delay=1s"))) {
            return false;
        }
        if (sub.hasMatchedOption("--model")) {
            String model = sub.matchedOptionValue("--model", "");
            if (model.contains("/") && !Files.exists(Path.of(model))) {
                return false;
            }
        }
        if (sub.commandSpec().name().equals("models")) {
            return true;
        }
        List<String> files = sub.matchedPositionals().stream().flatMap(p -> p.stringValues().stream()).toList();
        return !files.isEmpty() && files.stream().allMatch(f -> Files.isRegularFile(Path.of(f)));
    }

    /** The arguments, with each path the run would write moved into the temporary directory. */
    private List<String> inOutputs(List<String> args) {
        List<String> moved = new ArrayList<>(args);
        for (int i = 0; i + 1 < moved.size(); i++) {
            if (WRITTEN.contains(moved.get(i)) && !moved.get(i + 1).startsWith("/dev/")) {
                moved.set(i + 1, outputs.resolve(Path.of(moved.get(i + 1)).getFileName()).toString());
            }
        }
        return moved;
    }

    @Test
    void theExtractionSeesThroughContinuationsPipesPromptsAndRedirections() {
        String page = String.join("\n", "```sh",
                "# a comment with batchwise run --nope in it",
                "cat in.jsonl | batchwise run --fn echo \\",
                "    --max-batch-size 16 -o 'out put.jsonl' 2>/dev/null && batchwise models --json | jq .",
                "BATCHWISE_JAVA_OPTS=-Xmx2g scripts/batchwise run \"a b.txt\" > out.jsonl",
                "```", "", "```console", "$ batchwise run samples/sentences.txt", "{\"id\":1}", "```",
                "```java", "batchwise run --not-shell", "```");
        List<ShellExamples.Invocation> calls = ShellExamples.batchwiseCalls("page.md", page);
        assertEquals(List.of(
                List.of("run", "--fn", "echo", "--max-batch-size", "16", "-o", "out put.jsonl"),
                List.of("models", "--json"),
                List.of("run", "a b.txt"),
                List.of("run", "samples/sentences.txt")), calls.stream().map(ShellExamples.Invocation::args).toList());
        assertEquals(3, calls.get(0).line());
        assertEquals(9, calls.get(3).line());
    }
}
