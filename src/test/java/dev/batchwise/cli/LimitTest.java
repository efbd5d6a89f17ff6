package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --limit N}: the first N records of the inputs, for smoke runs. */
class LimitTest {

    @TempDir
    Path dir;

    @Test
    void readsOnlyTheFirstNRecordsCountedOverAllInputsInOrder() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "one\ntwo\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "three\nfour\nfive\n");
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--limit", "3", "-q", "--stats-json", stats.toString(),
                a.toString(), b.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"one\"}", "{\"id\":2,\"text\":\"two\"}",
                "{\"id\":3,\"text\":\"three\"}"), run.lines());
        JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stats.toFile());
        assertEquals(3, report.get("records").asInt());
        assertEquals(3, report.at("/settings/limit").asInt());
    }

    @Test
    void aLimitAboveTheInputRunsItAllAndFailedRecordsCount() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"a\"}\nnot json\n{\"text\": \"c\"}\n");
        Cli.Run two = Cli.run("run", "--fn", "echo", "--limit", "2", "-q", in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, two.exitCode(), two::toString);
        assertEquals(2, two.lines().size(), two::toString);
        assertTrue(two.lines().get(1).contains("\"error\""), two::toString);
        Cli.Run all = Cli.run("run", "--fn", "echo", "--limit", "100", "-q", in.toString());
        assertEquals(3, all.lines().size(), all::toString);
    }

    @Test
    void expectRecordsCountsWhatTheLimitedRunWrote() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\nc\nd\n");
        assertEquals(0, Cli.run("run", "--fn", "echo", "--limit", "3", "--expect-records", "3", "-q",
                in.toString()).exitCode());
        Cli.Run wrong = Cli.run("run", "--fn", "echo", "--limit", "3", "--expect-records", "4", "-q", in.toString());
        assertEquals(ExitCodes.UNEXPECTED_COUNT, wrong.exitCode(), wrong::toString);
    }

    @Test
    void aLimitBelowOneIsAUsageError() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\n");
        for (String n : List.of("0", "-5")) {
            Cli.Run run = Cli.run("run", "--fn", "echo", "--limit", n, in.toString());
            assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
            assertTrue(run.err().contains("--limit: " + n + " is out of range; it must be from 1"), run::toString);
            assertEquals("", run.out());
        }
    }

    @Test
    void resumeWithAnotherLimitIsRefusedAndWithTheSameOneContinues() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nBAD b\nc\nd\ne\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Run first = Cli.run("run", "--fn", "misbehave", "-b", "1", "--on-error", "stop", "--limit", "4", "-q",
                "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        Path partial = dir.resolve("out.jsonl.partial");
        assertTrue(Files.exists(partial), first::toString);
        String before = Files.readString(partial);

        Cli.Run other = Cli.run("run", "--fn", "misbehave", "-b", "1", "--limit", "5", "--resume", "-q",
                "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.USAGE, other.exitCode(), other::toString);
        assertTrue(other.err().contains("it was written with --limit 4, this run has 5"), other::toString);
        Cli.Run none = Cli.run("run", "--fn", "misbehave", "-b", "1", "--resume", "-q", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.USAGE, none.exitCode(), none::toString);
        assertTrue(none.err().contains("it was written with --limit 4, this run has (not set)"), none::toString);
        assertEquals(before, Files.readString(partial), "a refused resume touches nothing");

        Cli.Run same = Cli.run("run", "--fn", "misbehave", "-b", "1", "--limit", "4", "--resume", "-q",
                "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, same.exitCode(), same::toString);
        assertFalse(Files.exists(partial));
        List<JsonNode> lines = Runs.parse(Files.readString(out));
        assertEquals(4, lines.size(), "the first four records, as one run with --limit 4 writes");
        assertEquals("D", lines.get(3).get("out").asText());
    }

    @Test
    void runHelpListsTheLimitAndBenchHasNone() {
        assertTrue(Cli.run("run", "--help").out().contains("--limit=N"));
        assertFalse(Cli.run("bench", "--help").out().contains("--limit"));
    }
}
