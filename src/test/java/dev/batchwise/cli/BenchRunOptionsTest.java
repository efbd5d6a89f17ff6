package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench's promise that run's options it takes work as in run, reaching every point's run (which
 * options it takes or refuses, and why, is held to run's options in FrontEndOptionsTest).
 */
class BenchRunOptionsTest {

    @TempDir
    Path dir;

    private Path words() throws Exception {
        return Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\ndelta\n");
    }

    @Test
    void aTypoIsStillAnUnknownOptionWithTheClosestBenchOption() throws Exception {
        Cli.Run typo = Cli.run("bench", "--fn", "echo", "--widnow", "1s", words().toString());
        assertEquals(ExitCodes.USAGE, typo.exitCode(), typo.toString());
        assertTrue(typo.err().contains("unknown option '--widnow'") && typo.err().contains("--window"), typo.err());
    }

    private static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void maxBatchTokensCapsEveryPointsBatches() throws Exception {
        // echo weighs each record 1, so a cap of 2 tokens is a cap of 2 records, whatever -b allows
        Path out = dir.resolve("tokens.json");
        Cli.Run run = Cli.run("bench", "--fn", "echo", "-b", "4,8", "-c", "8", "--max-delay", "1ms",
                "--max-batch-tokens", "2", "--warmup", "0", "--window", "100ms", "--max-windows", "3", "--rounds", "1",
                "--seed", "7", "--json", out.toString(), words().toString());
        // on a real clock the point may not settle: then its recommendation is unconfirmed (10)
        assertTrue(run.exitCode() == ExitCodes.OK || run.exitCode() == ExitCodes.UNCONFIRMED, run.toString());
        JsonNode points = json(out).path("points");
        assertEquals(2, points.size());
        for (JsonNode p : points) {
            JsonNode histogram = p.path("batch_size").path("histogram");
            assertTrue(histogram.size() > 0, p.toString());
            histogram.fieldNames().forEachRemaining(size -> assertTrue(Integer.parseInt(size) <= 2,
                    "batch of " + size + " under --max-batch-tokens 2: " + p));
        }
        if (json(out).path("chosen").isTextual()) {
            assertTrue(json(out).path("chosen_run_command").asText().contains("--max-batch-tokens 2 --seed 7"),
                    "the chosen setting's run command keeps the queue options: " + json(out));
        }
    }

    @Test
    void aQueueTimeoutFailsRecordsInThePointAndTheTableShowsThem() throws Exception {
        // 8 clients, one worker, 20 ms a call of one record: the 7 others wait 20 ms in the queue, past 1 ms
        Path csv = dir.resolve("timeout.csv");
        Cli.Run run = Cli.run("bench", "--fn", "echo", "--fn-arg", "delay=20ms", "-b", "1", "-c", "8",
                "--timeout", "1ms", "--warmup", "0", "--window", "200ms", "--max-windows", "3", "--csv",
                csv.toString(), words().toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run.toString());
        List<String> lines = Files.readAllLines(csv);
        List<String> columns = List.of(lines.get(0).split(","));
        String[] row = lines.get(1).split(",", -1);
        long records = Long.parseLong(row[columns.indexOf("records")]);
        long failed = Long.parseLong(row[columns.indexOf("failed")]);
        assertTrue(failed > 0 && failed < records, "timed-out records count as failed: " + lines);
        assertTrue(run.err().lines().anyMatch(l -> l.split(" ")[0].contains("!") && l.contains("w=1 b=1 d=0 c=8")
                && l.strip().endsWith(" " + failed)), "the table marks the point and shows its failures: " + run.err());
    }

    @Test
    void queueOptionMistakesAreUsageErrorsAsInRun() throws Exception {
        String in = words().toString();
        // were a mistake let through, the sweep would be short
        Cli.Run valid = Cli.run("bench", "--fn", "echo", "-b", "1", "-c", "1", "--warmup", "0", "--window", "20ms",
                "--max-windows", "3", "--rounds", "1", "--timeout", "1s", in);
        assertTrue(valid.exitCode() == ExitCodes.OK || valid.exitCode() == ExitCodes.UNCONFIRMED, valid.toString());
        Cli.Run lookahead = Cli.run("bench", "--fn", "echo", "-b", "1,4", "--lookahead", "2", "--group-by-length", in);
        assertEquals(ExitCodes.USAGE, lookahead.exitCode(), lookahead.toString());
        assertTrue(lookahead.err().contains("--lookahead (2) must be at least the max batch size (4)"), lookahead.err());
        Cli.Run timeout = Cli.run("bench", "--fn", "echo", "-b", "1", "-c", "1", "--warmup", "0",
                "--window", "20ms", "--max-windows", "3", "--timeout", "soon", in);
        assertEquals(ExitCodes.USAGE, timeout.exitCode(), timeout.toString());
        assertTrue(timeout.err().contains("--timeout: 'soon' is not a duration"), timeout.err());
        Cli.Run tokens = Cli.run("bench", "--fn", "echo", "-b", "1", "-c", "1", "--warmup", "0",
                "--window", "20ms", "--max-windows", "3", "--max-batch-tokens", "-1", in);
        assertEquals(ExitCodes.USAGE, tokens.exitCode(), tokens.toString());
        assertTrue(tokens.err().contains("--max-batch-tokens: -1 is out of range"), tokens.err());
    }

    @Test
    void embeddingOptionsReachTheModelAsInRun() throws Exception {
        String in = words().toString();
        Cli.Run query = Cli.run("bench", "-b", "1", "-c", "1", "--warmup", "0", "--window", "20ms", "--max-windows",
                "3", "--query", in);
        assertEquals(ExitCodes.USAGE, query.exitCode(), query.toString());
        assertTrue(query.err().contains("model 'minilm' defines no query or passage prefix"), query.err());
        Cli.Run function = Cli.run("bench", "--fn", "echo", "--pooling", "cls", in);
        assertEquals(ExitCodes.USAGE, function.exitCode(), function.toString());
        assertTrue(function.err().contains("are for models"), function.err());
        Cli.Run cache = Cli.run("bench", "--cache", dir.resolve("c.db").toString(), in);
        assertEquals(ExitCodes.USAGE, cache.exitCode(), cache.toString());
        assertTrue(cache.err().contains("a bench point served from the store would measure the store"), cache.err());
    }

    @Test
    void anOptionNoPointUsesIsWarnedOfAsInRun() throws Exception {
        Cli.Run run = Cli.run("bench", "--fn", "echo", "-b", "1", "-c", "1", "--top-k", "3", "--lookahead", "4",
                "--seed", "3", "--warmup", "0", "--window", "50ms", "--max-windows", "3", words().toString());
        assertTrue(run.err().contains("--top-k is ignored"), run.err());
        assertTrue(run.err().contains("--lookahead is ignored"), run.err());
        assertFalse(run.err().contains("--seed is ignored"), "it orders the points' records: " + run.err());
    }

    @Test
    void noProgressKeepsThePointLinesOffATerminal() throws Exception {
        String in = words().toString();
        String[] args = {"bench", "--fn", "echo", "-b", "1", "-c", "1", "--warmup", "0", "--window", "50ms",
            "--max-windows", "3", "--rounds", "1", in};
        Cli.Run shown = Cli.run(new ByteArrayInputStream(new byte[0]), Io.Signals.NONE, Map.of(), true, args);
        assertTrue(shown.err().contains("[1/1] w=1 b=1 d=0 c=1"), shown.err());
        List<String> quiet = new ArrayList<>(List.of(args));
        quiet.add(1, "--no-progress");
        Cli.Run hidden = Cli.run(new ByteArrayInputStream(new byte[0]), Io.Signals.NONE, Map.of(), true,
                quiet.toArray(String[]::new));
        assertFalse(hidden.err().contains("[1/1]"), hidden.err());
        assertTrue(hidden.err().contains("w=1 b=1 d=0 c=1"), "the table is still printed: " + hidden.err());
    }
}
