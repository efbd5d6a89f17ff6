package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.ShellExamples;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every shell example of the README and of docs/ that calls batchwise is parsed by batchwise's own
 * command line, so that no page shows an option, a value or a command that does not exist. The test
 * lists what it parsed on standard output. (Examples that are also run, with their output checked,
 * are in the tests of what they show.)
 */
class DocsExamplesTest {

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
    void everyBatchwiseCommandInTheDocsParses() throws Exception {
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path page : pages()) {
            for (ShellExamples.Invocation call : ShellExamples.batchwiseCalls(page)) {
                CommandLine cl = BatchwiseCommand.commandLine(new Io(java.io.InputStream.nullInputStream(),
                        new ByteArrayOutputStream(), Map.of(), false, Io.Signals.NONE));
                try {
                    cl.parseArgs(call.args().toArray(String[]::new));
                    parsed++;
                    System.out.println("parsed " + call);
                } catch (CommandLine.ParameterException e) {
                    failures.add(call + "\n    " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures, "examples that batchwise's command line refuses");
        assertTrue(parsed > 10, "the docs show batchwise commands: " + parsed + " parsed");
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
