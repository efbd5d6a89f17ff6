package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.ManualSignals;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A sweep stopped by Ctrl-C or SIGTERM keeps what it measured: the points before the stop are in the
 * table, --csv, --json and the report; stderr says it was interrupted; the exit code is the signal's.
 */
class BenchInterruptTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Workers 1, then 2: the stop comes from the first call a second worker makes, so in the second
     * point; the first point is measured whole.
     */
    @ParameterizedTest
    @ValueSource(ints = {ExitCodes.INTERRUPTED, ExitCodes.TERMINATED})
    void theStopKeepsThePointsMeasuredBeforeIt(int signal) throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\nc\nd\n");
        ManualSignals signals = new ManualSignals();
        AtomicBoolean sent = new AtomicBoolean();
        String handle = "bench-stop-" + signal;
        ScriptedFunctions.put(handle, ScriptedFunction.of(batch -> {
            if (Thread.currentThread().getName().equals("batchwise-worker-2") && sent.compareAndSet(false, true)) {
                try {
                    signals.send(signal); // as the signal handler's thread would call it
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return batch.stream().map(List::of).toList();
        }));
        Path csv = dir.resolve("points.csv");
        Path json = dir.resolve("points.json");
        Path report = dir.resolve("report.html");
        CompletableFuture<Cli.Run> running = CompletableFuture.supplyAsync(() -> Cli.run(InputStream.nullInputStream(),
                signals, "bench", "--fn", "scripted", "--fn-arg", "handle=" + handle, "-w", "1,2", "-b", "1", "-c",
                "4", "--max-delay", "0", "--warmup", "0", "--window", "100ms", "--max-windows", "3", "--csv",
                csv.toString(), "--json", json.toString(), "--report", report.toString(), in.toString()));
        Cli.Run run = running.get(120, TimeUnit.SECONDS);

        assertEquals(signal, run.exitCode(), run::toString);
        assertTrue(sent.get(), "the second point ran");
        assertTrue(run.err().contains("batchwise: stopping the sweep: the point in flight is dropped"), run::toString);
        assertTrue(run.err().contains("batchwise: interrupted: 1 of 2 points measured before the stop; written to "
                + csv + ", " + json + ", " + report), run::toString);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(2, rows.size(), "the header and the first point: " + rows);
        JsonNode points = JSON.readTree(json.toFile()).path("points");
        assertEquals(1, points.size(), points::toString);
        assertEquals(1, points.get(0).path("workers").asInt(), points::toString);
        assertTrue(Files.readString(report).contains("</html>"), "the report is written whole");
        assertTrue(run.err().contains("records/s") || run.err().contains("workers"), "the table: " + run);
    }
}
