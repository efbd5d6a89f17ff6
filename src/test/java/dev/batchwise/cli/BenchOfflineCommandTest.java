package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} as an offline tuner: its default, its recommendation on standard output, its exit codes. */
class BenchOfflineCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path words() throws Exception {
        return Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\n");
    }

    private static void assertUsage(Cli.Run run, String expected) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(expected), run.toString());
        assertFalse(run.err().contains("\tat "), run.toString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void withoutAnSloOrALoadBenchTunesAnOfflineJobAndPrintsOneJsonLine() throws Exception {
        Path in = words();
        Path json = dir.resolve("sweep.json");
        Cli.Run run = Cli.run("bench", "--fn", "echo", "--fn-arg", "per-item=1ms", "-b", "4,16", "-w", "1",
                "--warmup", "0", "--window", "100ms", "--max-windows", "3", "--rounds", "1", "--json", json.toString(),
                in.toString());
        assertTrue(run.err().contains("sweep: settings for an offline job"), run.err());
        assertTrue(run.err().contains("w=1 b=4 offline") && run.err().contains("w=1 b=16 offline"), run.err());
        assertFalse(run.err().contains("Triton"), "no server settings for an offline job: " + run.err());
        assertEquals(1, run.out().lines().count(), "one line on standard output: " + run.out());
        JsonNode line = JSON.readTree(run.out());
        assertEquals("offline", line.path("kind").asText());
        assertEquals(line.path("confirmed").asBoolean() ? ExitCodes.OK : ExitCodes.UNCONFIRMED, run.exitCode(),
                run.toString());
        String chosen = line.path("chosen").asText();
        String batch = chosen.equals("w=1 b=4 offline") ? "4" : "16";
        assertTrue(chosen.equals("w=1 b=" + batch + " offline"), chosen);
        assertEquals(List.of("--max-batch-size", batch, "--workers", "1"), strings(line.path("run_flags")),
                "an offline job's flags: no delay, no load");
        assertEquals("batchwise run --max-batch-size " + batch + " --workers 1 --fn echo --fn-arg per-item=1ms " + in,
                line.path("run_command").asText());
        JsonNode sweep = JSON.readTree(json.toFile());
        assertEquals("offline", sweep.path("kind").asText());
        assertEquals(line, sweep.path("recommendation"), "the file holds the same recommendation");
        assertEquals("offline", sweep.path("points").get(0).path("arrival").asText());
    }

    @Test
    void arrivalBurstIsTheOfflineSweep() throws Exception {
        Cli.Run run = Cli.run("bench", "--fn", "echo", "--arrival", "burst", "-b", "4", "-w", "1", "--warmup", "0",
                "--window", "100ms", "--max-windows", "3", "--rounds", "1", words().toString());
        assertTrue(run.err().contains("sweep: settings for an offline job"), run.toString());
        assertEquals("offline", JSON.readTree(run.out()).path("kind").asText());
    }

    @Test
    void aLoadOptionMakesItAServerSweep() throws Exception {
        Cli.Run run = Cli.run("bench", "--fn", "echo", "-b", "4", "-c", "2", "--max-delay", "0", "--warmup", "0",
                "--window", "100ms", "--max-windows", "3", "--rounds", "1", words().toString());
        assertTrue(run.err().contains("sweep: settings for a server under load"), run.err());
        JsonNode line = JSON.readTree(run.out());
        assertEquals("server", line.path("kind").asText());
        assertEquals(List.of("--max-batch-size", "4", "--max-delay", "0", "--workers", "1", "--concurrency", "2"),
                strings(line.path("run_flags")));
    }

    @Test
    void whenNothingSettlesTheBestPointIsStillRecommendedWithItsOwnExitCode() throws Exception {
        // each call slower than the one before: throughput keeps falling, so no interval ever narrows
        AtomicLong calls = new AtomicLong();
        ScriptedFunctions.put("drifting", ScriptedFunction.of(batch -> {
            try {
                TimeUnit.MICROSECONDS.sleep(500 + 200 * calls.incrementAndGet());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return List.of(batch);
        }));
        Cli.Run run = Cli.run("bench", "--fn", "scripted", "--fn-arg", "handle=drifting", "-b", "2", "-w", "1",
                "--warmup", "0", "--window", "100ms", "--max-windows", "4", "--rounds", "1", words().toString());
        assertEquals(ExitCodes.UNCONFIRMED, run.exitCode(), run.toString());
        JsonNode line = JSON.readTree(run.out());
        assertEquals("w=1 b=2 offline", line.path("chosen").asText(), run.out());
        assertFalse(line.path("confirmed").asBoolean());
        assertTrue(line.path("throughput_ci95").isArray(), "the interval says how sure it is: " + run.out());
        assertTrue(run.err().contains("not confirmed") && run.err().contains("recommended for an offline job"),
                run.err());
        assertTrue(run.err().contains("batchwise run --max-batch-size 2 --workers 1"), run.err());
    }

    @Test
    void offlineRefusesWhatOnlyAServerHas() throws Exception {
        String in = words().toString();
        assertUsage(Cli.run("bench", "--fn", "echo", "--offline", "-c", "4", in), "--offline tunes an offline job");
        assertUsage(Cli.run("bench", "--fn", "echo", "--offline", "--slo", "p99=1s", in), "drop one or the other");
        assertUsage(Cli.run("bench", "--fn", "echo", "--max-delay", "5ms", in), "no delay holds a batch");
        assertUsage(Cli.run("bench", "--fn", "echo", "--objective", "latency", in), "--objective latency is for a server");
        assertUsage(Cli.run("bench", "--fn", "echo", "--rounds", "0", in), "--rounds must be from 1");
        assertUsage(Cli.run("bench", "--fn", "echo", "--arrival", "burst", "-c", "4", in), "drop one or the other");
    }
}
