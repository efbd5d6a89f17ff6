package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.bench.BenchJson;
import dev.batchwise.bench.PointResult;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that never returns ends its point as timed out, and the sweep stops there with what it has. */
class BenchHungCallTest {

    @TempDir
    Path dir;

    @Test
    void aHungCallTimesOutItsPointAndTheSweepStopsWithThePointsBefore() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        List<Thread> stuck = new CopyOnWriteArrayList<>();
        // batches of one return at once; the first batch of two blocks, deaf to interrupts, as a hung native call is
        ScriptedFunctions.put("hang", ScriptedFunction.of(batch -> {
            if (batch.size() > 1) {
                stuck.add(Thread.currentThread());
                boolean interrupted = false;
                while (never.getCount() > 0) {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(batch);
        }));
        Path in = Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\n");
        Path csv = dir.resolve("points.csv");
        Path json = dir.resolve("points.json");
        Path report = dir.resolve("report.html");
        try {
            // two clients: at batch 1 every call holds one record; at batch 2 the 100 ms delay lets both in
            Cli.Run run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("bench", "--fn", "scripted",
                    "--fn-arg", "handle=hang", "-b", "1,2,4", "-c", "2", "--max-delay", "100ms", "--warmup", "0",
                    "--window", "50ms", "--max-windows", "3", "--csv", csv.toString(), "--json", json.toString(),
                    "--report", report.toString(), in.toString()), "the sweep hangs");
            assertEquals(ExitCodes.POINT_TIMED_OUT, run.exitCode(), run.toString());
            List<String> said = run.err().lines().filter(l -> l.startsWith("batchwise: ")).toList();
            assertEquals(1, said.size(), run.err());
            assertTrue(said.get(0).startsWith("batchwise: point w=1 b=2 d=100ms c=2 timed out: a call of the function "
                    + "did not return within 2.15s") && said.get(0).endsWith("with 1 point measured before it"),
                    said.get(0));
            assertTrue(run.err().lines().anyMatch(l -> l.startsWith("T ") && l.contains("w=1 b=2 d=100ms c=2")),
                    "the table marks it: " + run.err());
            assertFalse(run.err().contains("b=4"), "no point runs after it: " + run.err());

            List<String> lines = Files.readAllLines(csv);
            assertEquals(3, lines.size(), lines.toString());
            List<String> columns = List.of(lines.get(0).split(","));
            String[] measured = lines.get(1).split(",", -1);
            String[] timedOut = lines.get(2).split(",", -1);
            assertEquals("false", measured[columns.indexOf("timed_out")]);
            assertEquals("true", timedOut[columns.indexOf("timed_out")]);
            assertEquals("false", timedOut[columns.indexOf("chosen")]);
            for (String figure : List.of("records", "throughput_per_second", "latency_p99_ms", "batch_sizes")) {
                assertEquals("", timedOut[columns.indexOf(figure)], "no figure for a point that did not end: " + figure);
            }

            JsonNode root = new ObjectMapper().readTree(json.toFile());
            assertEquals("w=1 b=2 d=100ms c=2", root.path("timed_out").asText(), root.toString());
            assertTrue(root.path("points").get(1).path("throughput_per_second").isNull(), root.toString());
            List<PointResult> back = BenchJson.read(json).points();
            assertTrue(back.get(1).timedOut() && !back.get(1).usable() && !back.get(0).timedOut(), back.toString());
            String html = Files.readString(report);
            assertTrue(html.contains("<tr class=\"timedout\">") && html.contains("The sweep stopped early"), html);

            assertEquals(1, stuck.size(), "one call hung");
            assertTrue(stuck.get(0).isDaemon() && stuck.get(0).isAlive(),
                    "the thread left in the call does not keep the JVM alive");
        } finally {
            never.countDown();
        }
    }
}
