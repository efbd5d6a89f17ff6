package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.testing.Async;
import dev.batchwise.testing.Forked;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * batchwise in a process of its own: real signals, a real pipe closed by its reader, a real heap
 * limit. Each waits on the process's own output (blocking reads), never on a clock; the timeouts
 * only keep a broken build from hanging.
 */
class ProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The processes a test started: ended by force after it, should it fail before they end. */
    private final List<Process> started = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void endProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(ProcessBuilder b) throws java.io.IOException {
        Process p = b.start();
        started.add(p);
        return p;
    }

    /** Waits for the process to end; fails instead of hanging. */
    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the process did not end");
        }
        return p.exitValue();
    }

    private static void send(Writer stdin, String line) throws Exception {
        stdin.write(line + "\n");
        stdin.flush();
    }

    @Test
    void sigtermStopsTheRunWritesWhatIsDoneAndExits143() throws Exception {
        Path stats = dir.resolve("stats.json");
        Path err = dir.resolve("err.txt");
        Process p = start(Forked.batchwise(List.of(), "run", "--fn", "slow", "--fn-arg", "hold=1h", "-b", "1", "--grace",
                "200ms", "--stats-json", stats.toString(), "-").redirectError(err.toFile()));
        Writer stdin = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        send(stdin, "a");
        // the first record's line: the run is under way, its signal handler installed
        assertEquals("{\"id\":1,\"out\":\"A\"}", stdout.readLine());
        send(stdin, "HOLD b"); // a call that will not finish within the grace period
        send(stdin, "c");
        p.toHandle().destroy(); // SIGTERM; Process.destroy would also close our ends of its pipes

        assertEquals(null, stdout.readLine(), "only the finished prefix is written");
        assertEquals(143, exitCode(p), () -> read(err));
        JsonNode s = JSON.readTree(stats.toFile());
        assertTrue(s.get("interrupted").asBoolean());
        assertEquals("stopped", s.get("ending").asText());
        assertEquals(143, s.get("exit_code").asInt());
        assertEquals(1, s.get("records").asInt());
        assertTrue(read(err).contains("batchwise: stopped after 1 record"), () -> read(err));
    }

    @Test
    void aSecondSignalEndsTheProcessAtOnce() throws Exception {
        Process p = start(Forked.batchwise(List.of(), "run", "--fn", "slow", "--fn-arg", "hold=1h", "-b", "1", "--grace",
                "1h", "-"));
        Writer stdin = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BufferedReader stderr = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        send(stdin, "a");
        assertEquals("{\"id\":1,\"out\":\"A\"}", stdout.readLine());
        send(stdin, "HOLD b");
        p.toHandle().destroy();
        String line;
        while ((line = stderr.readLine()) != null && !line.startsWith("batchwise: stopping:")) {
            // the blank line before the notice
        }
        assertTrue(line != null, "no stopping notice");
        // the first signal waits up to the grace period, an hour; the second must not
        p.toHandle().destroy();
        assertEquals(143, exitCode(p));
    }

    @Test
    void aReaderThatClosesThePipeEndsTheRunQuietlyWithExit141() throws Exception {
        Path in = dir.resolve("in.txt");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Files.writeString(in, b.toString());
        Path err = dir.resolve("err.txt");
        Path stats = dir.resolve("stats.json");
        Process p = start(Forked.batchwise(List.of(), "run", "--fn", "echo", "--stats-json", stats.toString(), in.toString())
                .redirectError(err.toFile()));
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 1; i <= 3; i++) {
            assertEquals("{\"id\":" + i + ",\"text\":\"line " + i + "\"}", stdout.readLine());
        }
        stdout.close(); // as head -3 does; far more than a pipe holds is still to come

        assertEquals(141, exitCode(p), () -> read(err));
        assertEquals("", read(err));
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals("output_closed", s.get("ending").asText());
        assertEquals(141, s.get("exit_code").asInt());
    }

    /**
     * Half a million records through a 32 MiB heap while the first call is held back two seconds: an
     * intake that did not wait for the reorder window would read them all into memory meanwhile
     * (hundreds of megabytes). The output must be complete and in order.
     */
    @Test
    void aHeldHeadMakesTheSourceWaitInsteadOfMemoryGrowing() throws Exception {
        int records = 500_000;
        Path err = dir.resolve("err.txt");
        Process p = start(Forked.batchwise(List.of("-Xmx32m", "-XX:+UseSerialGC"), "run", "--fn", "slow", "--fn-arg",
                "first=2s", "-w", "2", "-b", "16", "-q", "-").redirectError(err.toFile()));
        CompletableFuture<Void> feeding = Async.start(() -> {
            try (Writer stdin = new BufferedWriter(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                    1 << 16)) {
                for (int i = 1; i <= records; i++) {
                    stdin.write("record number ");
                    stdin.write(Integer.toString(i));
                    stdin.write('\n');
                }
            }
            return null;
        });
        long lines = 0;
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = stdout.readLine()) != null) {
                lines++;
                String expected = "{\"id\":" + lines + ",\"out\":\"RECORD NUMBER " + lines + "\"}";
                if (!line.equals(expected)) {
                    throw new AssertionError("line " + lines + " is " + line + ", expected " + expected);
                }
            }
        }
        feeding.get(120, TimeUnit.SECONDS);
        assertEquals(0, exitCode(p), () -> read(err));
        assertEquals(records, lines);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }
}
