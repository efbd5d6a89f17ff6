package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Forked;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a process of its own shows about output paths. A run owns its partial output: a second run on the same {@code -o} refuses at once, and the claim
 * dies with the process (kill -9 leaves no stale lock). The first run is a process of its own, so the
 * lock is the operating system's between two processes; the test waits on its standard error, never on
 * a clock (the timeouts only keep a broken build from hanging).
 */
class OutputPathsProcessTest {

    @TempDir
    Path dir;

    private Process first;

    @AfterEach
    void endFirst() {
        if (first != null) {
            first.destroyForcibly();
        }
    }

    @Test
    void devStdoutRedirectedToAFileWritesThatFileAndLeavesDevStdoutALink() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Path result = dir.resolve("result.jsonl");
        Process p = Forked.batchwise(List.of(), "run", "--fn", "echo", "-q", "-o", "/dev/stdout", in.toString())
                .redirectOutput(result.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
        first = p;
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ended");
        assertEquals(0, p.exitValue(), () -> read(dir.resolve("err.txt")));
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", Files.readString(result));
        assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")), "/dev/stdout is still the system's link");
        assertEquals(java.util.Set.of("in.txt", "result.jsonl", "err.txt"), java.util.Set.copyOf(
                Files.list(dir).map(f -> f.getFileName().toString()).toList()));
    }

    @Test
    void anOutputThatIsALinkToAFileKeepsTheLinkAndFillsTheFile() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Path real = Files.writeString(dir.resolve("real.jsonl"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), real);
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", link.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", Files.readString(real));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aSecondRunOnTheSameOutputRefusesAndAKilledRunLeavesNoStaleLock() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Path partial = dir.resolve("out.jsonl.partial");
        // a left-over partial file makes the first run say it starts it afresh: it holds the lock by then
        Files.writeString(partial, "{\"id\":1,\"out\":\"OLD\"}\n");
        first = Forked.batchwise(List.of(), "run", "--fn", "slow", "--fn-arg", "hold=1h", "-b", "1", "-o",
                out.toString(), "-").start();
        BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8));
        for (String line = err.readLine(); ; line = err.readLine()) {
            if (line == null) {
                throw new AssertionError("the first run ended before it took its output");
            }
            if (line.contains("afresh")) {
                break;
            }
        }

        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Cli.Run second = Cli.run("run", "--fn", "echo", "-o", out.toString(), in.toString());
        assertEquals(4, second.exitCode(), second::toString);
        assertTrue(second.err().contains("another run is writing -o " + out), second.err());
        assertFalse(Files.exists(out));

        first.destroyForcibly(); // SIGKILL: no handler runs, nothing is cleaned up by the run
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the first run ended");

        Cli.Run third = Cli.run("run", "--fn", "echo", "-q", "-o", out.toString(), in.toString());
        assertEquals(0, third.exitCode(), third::toString);
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", Files.readString(out));
        assertFalse(Files.exists(dir.resolve("out.jsonl.partial.lock")), "the lock file goes with the run");
        assertFalse(Files.exists(partial));
    }
}
