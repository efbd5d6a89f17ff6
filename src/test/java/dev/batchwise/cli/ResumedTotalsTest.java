package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * After a resume, the exit status, the stats report and the summary describe the whole finished
 * output, the records the earlier run wrote included, in every output layout; and they agree with
 * one uninterrupted run of the same command.
 */
class ResumedTotalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Records 2 and 5 fail; the first run stops at record 2, so one failure is carried over. */
    @ParameterizedTest
    @CsvSource({"jsonl,", "csv,", "jsonl,--keep=text", "csv,--keep=text", "jsonl,--with-timing"})
    void aResumedOutputIsCountedWhole(String format, String extra) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "a\nBAD b\nc\nd\nBAD e\nf\n");
        Path out = dir.resolve("out." + format);
        Path stats = dir.resolve("stats.json");
        Cli.Run first = Cli.run(args(extra, "--on-error", "stop", "-o", out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);

        Cli.Run resumed = Cli.run(args(extra, "--resume", "--stats-json", stats.toString(), "-o", out.toString(),
                in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(6, s.get("records").asInt(), s::toString);
        assertEquals(2, s.get("failed").asInt(), s::toString);
        assertEquals(4, s.get("succeeded").asInt(), s::toString);
        assertEquals(2, s.get("carried_over").get("records").asInt(), s::toString);
        assertEquals(1, s.get("carried_over").get("failed").asInt(), s::toString);
        assertEquals(1, s.get("exit_code").asInt());
        assertTrue(resumed.err().contains("6 records, 2 failed, in "), resumed::toString);
        assertTrue(resumed.err().contains("; 2 of them (1 failed) carried over from the run resumed"),
                resumed::toString);

        Path whole = dir.resolve("whole." + format);
        Path wholeStats = dir.resolve("whole.json");
        Cli.Run oneRun = Cli.run(args(extra, "--stats-json", wholeStats.toString(), "-o", whole.toString(),
                in.toString()));
        JsonNode w = JSON.readTree(wholeStats.toFile());
        assertEquals(oneRun.exitCode(), resumed.exitCode(), "as one uninterrupted run");
        for (String count : List.of("records", "failed", "succeeded")) {
            assertEquals(w.get(count), s.get(count), count + " as one uninterrupted run");
        }
        assertFalse(w.has("carried_over"), "a run from the start carries nothing over");
    }

    @Test
    void quietRunsSayHowManyFailedInTheWholeOutputAndHowManyWereCarriedOver() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "BAD a\nb\nBAD c\n");
        Path out = dir.resolve("out.jsonl");
        Cli.run(args("-q", "--on-error", "stop", "-o", out.toString(), in.toString()));
        Cli.Run resumed = Cli.run(args("-q", "--resume", "-o", out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        assertEquals("batchwise: 2 of 3 records failed (1 of the 1 carried over from the run resumed); see their "
                + "\"error\" in " + out + "\n", resumed.err());
    }

    /** An errors file run again, stopped at its first record and resumed: every record fails, all counted. */
    @Test
    void anErrorsFileRunAgainAndResumedCountsEveryFailure() throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "BAD a\nb\nBAD c\nd\nBAD e\n");
        Path errors = dir.resolve("errors.jsonl");
        Cli.run(args("-q", "--errors", errors.toString(), "-o", dir.resolve("first.jsonl").toString(), in.toString()));
        Path out = dir.resolve("again.jsonl");
        Path again = dir.resolve("again-errors.jsonl");
        Cli.Run stopped = Cli.run(args("-q", "--on-error", "stop", "--errors", again.toString(), "-o", out.toString(),
                errors.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        Path stats = dir.resolve("stats.json");
        Cli.Run resumed = Cli.run(args("-q", "--resume", "--errors", again.toString(), "--stats-json",
                stats.toString(), "-o", out.toString(), errors.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(3, s.get("records").asInt(), s::toString);
        assertEquals(3, s.get("failed").asInt(), s::toString);
        assertEquals(1, s.get("carried_over").get("failed").asInt(), s::toString);
        assertEquals(3, Files.readAllLines(again).size(), "every failure is in the errors file");
    }

    private static String[] args(String extra, String... rest) {
        List<String> a = new ArrayList<>(List.of("run", "--fn", "misbehave", "-b", "1"));
        if (extra != null && !extra.isEmpty()) {
            a.add(extra);
        }
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }
}
