package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a record makes the function do, it fails that record alone: an {@link Error} from the
 * call (a stack overflow, running out of memory) or a value the output cannot hold. Only the JVM's
 * own failure ends the run.
 */
class OneBadRecordTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "a\nb\nBAD c\nd\ne\nf\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stack", "oom", "throw"})
    void anErrorFromACallFailsOnlyTheRecordThatCausesIt(String mode) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, INPUT);
        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "--fn-arg", "mode=" + mode, "-b", "4", "--no-progress",
                "-o", out.toString(), in.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(Files.exists(out) && !Files.exists(dir.resolve("out.jsonl.partial")), "the output is committed");
        List<JsonNode> lines = Runs.parse(Files.readString(out));
        assertEquals(6, lines.size(), run::toString);
        for (int i = 0; i < 6; i++) {
            if (i == 2) {
                assertEquals("function_error", lines.get(i).at("/error/code").asText(), lines.get(i)::toString);
            } else {
                assertEquals(INPUT.split("\n")[i].toUpperCase(), lines.get(i).get("out").asText());
            }
        }
        String expected = switch (mode) {
            case "stack" -> "StackOverflowError";
            case "oom" -> "OutOfMemoryError";
            default -> "IllegalStateException";
        };
        assertTrue(lines.get(2).at("/error/message").asText().contains(expected), lines.get(2)::toString);
        assertTrue(run.err().contains("in.txt:3: function 'misbehave' failed: " + expected), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void aValueTheOutputCannotHoldFailsItsRecordAloneWithoutRetrying(String format) throws Exception {
        for (String mode : List.of("unwritable", "cycle")) {
            Path stats = dir.resolve(mode + "-stats.json");
            Path out = dir.resolve(mode + "-out." + format);
            Cli.Run run = Cli.runWithStdin(INPUT, "run", "--fn", "misbehave", "--fn-arg", "mode=" + mode, "-b", "8",
                    "--no-progress", "--stats-json", stats.toString(), "-o", out.toString(), "-");
            assertEquals(1, run.exitCode(), run::toString);
            String written = Files.readString(out, StandardCharsets.UTF_8);
            if (format.equals("jsonl")) {
                List<JsonNode> lines = Runs.parse(written);
                assertEquals(6, lines.size(), written);
                assertEquals("unwritable_output", lines.get(2).at("/error/code").asText(), written);
                assertTrue(lines.get(2).at("/error/message").asText()
                        .startsWith("function 'misbehave' returned for output 'out' a "), written);
                assertEquals("D", lines.get(3).get("out").asText(), written);
            } else {
                List<String> rows = written.lines().toList();
                assertEquals(7, rows.size(), written);
                assertEquals("1,A,", rows.get(1));
                assertTrue(rows.get(3).startsWith("3,,\"unwritable_output at <stdin>:3: function 'misbehave' "), written);
                assertEquals("4,D,", rows.get(4));
            }
            JsonNode s = JSON.readTree(stats.toFile());
            assertEquals(1, s.get("calls").asInt(), "the call succeeded: nothing to split");
            assertEquals(0, s.get("retried_calls").asInt());
            assertEquals(1, s.get("failed").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void theErrorsFileGetsAnUnwritableRecordAsItWasRead(String format) throws Exception {
        Path errors = dir.resolve("errors.jsonl");
        Cli.Run run = Cli.runWithStdin(INPUT, "run", "--fn", "misbehave", "--fn-arg", "mode=unwritable", "-q",
                "--output-format", format, "--errors", errors.toString(), "-");
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode line = JSON.readTree(Files.readString(errors));
        assertEquals("BAD c", line.get("text").asText());
        assertEquals("unwritable_output", line.at("/_error/code").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"internal"})
    void theJvmsOwnFailureEndsTheRun(String mode) throws Exception {
        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.runWithStdin(INPUT, "run", "--fn", "misbehave", "--fn-arg", "mode=" + mode, "-b", "4",
                "--no-progress", "-o", out.toString(), "-");
        assertEquals(ExitCodes.SOFTWARE, run.exitCode(), run::toString);
        assertFalse(Files.exists(out), "an output the run did not finish is not passed off as finished");
    }
}
