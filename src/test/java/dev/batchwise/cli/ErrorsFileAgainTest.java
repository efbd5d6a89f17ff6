package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An errors file is a faithful record that runs again: whatever its first line holds, a record that
 * could not be parsed keeps its text however often it fails, input columns named like the format's own
 * fields survive, and a resumed run of it keeps every failure.
 */
class ErrorsFileAgainTest {

    @TempDir
    Path dir;

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(JsonMapper.builder().build().readTree(line));
        }
        return out;
    }

    @Test
    void aRecordThatCouldNotBeParsedKeepsItsTextAndNumberWhenItFailsAgain() throws Exception {
        Path in = Files.writeString(dir.resolve("in.csv"), "text\nfine\n\"never closed\nalso fine\n");
        Path first = dir.resolve("e1.jsonl");
        Cli.run("run", "--fn", "echo", "-q", "--errors", first.toString(), in.toString());
        JsonNode original = lines(first).get(0);
        assertEquals("\"never closed", original.get("_raw").asText(), original::toString);
        Path second = dir.resolve("e2.jsonl");
        Path third = dir.resolve("e3.jsonl");
        Cli.Run again = Cli.run("run", "--fn", "echo", "-q", "--errors", second.toString(), first.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, again.exitCode(), again::toString);
        assertTrue(again.lines().get(0).startsWith("{\"id\":2,\"error\":"), again::toString);
        Cli.run("run", "--fn", "echo", "-q", "--errors", third.toString(), second.toString());
        for (Path errors : List.of(second, third)) {
            JsonNode line = lines(errors).get(0);
            assertEquals("\"never closed", line.get("_raw").asText(), line::toString);
            assertEquals(original.at("/_error/message").asText(), line.at("/_error/message").asText());
            assertEquals(2, line.at("/_error/seq").asLong(), line::toString);
            assertEquals(List.of("_raw", "_error"), fieldNames(line));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anErrorsFileRunsAgainWhateverItsFirstLineHolds() throws Exception {
        // first a line that could not be parsed, then one without the mapped field, then one that failed in the function
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{oops\n{\"other\": 1}\n{\"review\": \"BAD one\"}\n"
                + "{\"review\": \"good\"}\n");
        Path errors = dir.resolve("errors.jsonl");
        Cli.Run first = Cli.run("run", "--fn", "misbehave", "--input", "text=review", "-q", "--errors",
                errors.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        assertEquals(3, Files.readAllLines(errors).size());
        Cli.Run again = Cli.run("run", "--fn", "misbehave", "--input", "text=review", "--fn-arg", "marker=NOTHING",
                "-q", errors.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, again.exitCode(), again::toString);
        assertEquals(3, again.lines().size(), again::toString);
        assertTrue(again.lines().get(0).startsWith("{\"id\":1,\"error\":"), again::toString);
        assertTrue(again.lines().get(1).startsWith("{\"id\":2,\"error\":"), again::toString);
        assertEquals("{\"id\":3,\"out\":\"BAD ONE\"}", again.lines().get(2));
    }

    @Test
    void inputColumnsNamedLikeTheFormatsOwnFieldsSurvive() throws Exception {
        Path in = Files.writeString(dir.resolve("in.csv"), "_raw,_error,__raw,text\nr1,e1,rr1,BAD a\nr2,e2,rr2,b\n");
        Path errors = dir.resolve("errors.jsonl");
        Cli.run("run", "--fn", "misbehave", "-q", "--errors", errors.toString(), in.toString());
        JsonNode line = lines(errors).get(0);
        assertEquals(List.of("__raw", "__error", "___raw", "text", "_error"), fieldNames(line), line::toString);
        Cli.Run again = Cli.run("run", "--fn", "echo", "--keep", "_raw,_error,__raw", "-q", errors.toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(List.of("{\"id\":1,\"_raw\":\"r1\",\"_error\":\"e1\",\"__raw\":\"rr1\",\"text\":\"BAD a\"}"),
                again.lines());
    }

    @Test
    void aResumedRunOfAnErrorsFileKeepsEveryFailure() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nBAD b\nc\nBAD d\nBAD e\n");
        Path first = dir.resolve("e1.jsonl");
        Cli.run("run", "--fn", "misbehave", "-b", "1", "-q", "--errors", first.toString(), in.toString());
        assertEquals(3, Files.readAllLines(first).size());
        Path out = dir.resolve("out.jsonl");
        Path second = dir.resolve("e2.jsonl");
        Cli.Run stopped = Cli.run("run", "--fn", "misbehave", "-b", "1", "--on-error", "stop", "-q", "-o",
                out.toString(), "--errors", second.toString(), first.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        assertTrue(Files.exists(dir.resolve("out.jsonl.partial")), stopped::toString);
        Cli.Run resumed = Cli.run("run", "--fn", "misbehave", "-b", "1", "--resume", "-q", "-o", out.toString(),
                "--errors", second.toString(), first.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        List<JsonNode> failed = lines(second);
        assertEquals(List.of(2L, 4L, 5L), failed.stream().map(f -> f.at("/_error/seq").asLong()).toList());
        assertEquals(List.of("BAD b", "BAD d", "BAD e"), failed.stream().map(f -> f.get("text").asText()).toList());
    }
}
