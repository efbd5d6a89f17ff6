package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A message suggests {@code --resume} exactly where a run with {@code --resume} is accepted: for each
 * layout of inputs and output, a run stopped at its first failure, then the same command resumed.
 */
class ResumeSuggestionsTest {

    private static final String RECORDS = "a\nBAD b\nc\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"file", "file-csv", "stdin", "stdin-dash", "fifo", "stdout", "device"})
    void resumeIsSuggestedWhereItIsAcceptedAndNowhereElse(String layout) throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), RECORDS);
        Path out = dir.resolve(layout.equals("file-csv") ? "out.csv" : "out.jsonl");
        // the same command twice: once to stop at the failure and leave what it can, once with --resume
        Cli.Run first = run(layout, in, out, List.of("--on-error", "stop"));
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        Cli.Run again = run(layout, in, out, List.of("--on-error", "stop"));
        assertEquals(ExitCodes.RECORDS_FAILED, again.exitCode(), again::toString); // starts afresh
        Cli.Run resumed = run(layout, in, out, List.of("--resume"));
        boolean accepted = resumed.exitCode() != ExitCodes.USAGE;
        boolean suggested = first.err().contains("--resume") || again.err().contains("--resume");
        assertEquals(accepted, suggested, "suggested " + suggested + ", accepted " + accepted + "\n" + first + "\n"
                + again + "\n" + resumed);
        if (!accepted) {
            assertTrue(resumed.err().contains("batchwise run: --resume "), resumed::toString);
        } else {
            assertTrue(again.err().contains("--resume would have continued it"), again::toString);
            assertTrue(first.err().contains("run the same command with --resume to continue"), first::toString);
        }
        assertEquals(layout.startsWith("file"), accepted, "only regular input and output files can be resumed");
    }

    private Cli.Run run(String layout, Path in, Path out, List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--fn", "misbehave", "-b", "1", "--no-progress"));
        args.addAll(extra);
        switch (layout) {
            case "stdout" -> args.add(in.toString());
            case "device" -> args.addAll(List.of("-o", "/dev/null", in.toString()));
            case "stdin" -> args.addAll(List.of("-o", out.toString()));
            case "stdin-dash" -> args.addAll(List.of("-o", out.toString(), "-"));
            case "fifo" -> {
                return fromFifo(args, out);
            }
            default -> args.addAll(List.of("-o", out.toString(), in.toString()));
        }
        return Cli.run(new ByteArrayInputStream(RECORDS.getBytes(StandardCharsets.UTF_8)), Io.Signals.NONE,
                args.toArray(new String[0]));
    }

    /** The input through a named pipe, as {@code <(zcat in.gz)} gives it; its writer ends by itself. */
    private Cli.Run fromFifo(List<String> args, Path out) throws Exception {
        Path fifo = dir.resolve("pipe");
        Files.deleteIfExists(fifo);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        args.addAll(List.of("-o", out.toString(), fifo.toString()));
        CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> Cli.run(args.toArray(new String[0])));
        // opening a FIFO to write blocks until the run opens it to read; a run that refuses never does:
        // then open it for reading here, so that the writer is released either way
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(RECORDS.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                // the run stopped reading: that is its business
            }
        });
        Cli.Run done = run.get(60, TimeUnit.SECONDS);
        if (!writer.isDone()) {
            Files.newInputStream(fifo).close();
        }
        writer.get(60, TimeUnit.SECONDS);
        return done;
    }

    /**
     * An input that breaks off (a truncated gzip file) breaks off at the same place when the run is
     * resumed, and a mended one is refused as changed: resuming cannot get further, so it is not
     * suggested; the records done are still said to be in the partial output.
     */
    @Test
    void anInputThatBreaksOffIsNotResumedAgainAndAgain() throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (OutputStream o = new java.util.zip.GZIPOutputStream(gz)) {
            for (int i = 1; i <= 5000; i++) {
                o.write(("r" + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] whole = gz.toByteArray();
        Path in = Files.write(dir.resolve("cut.txt.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Path out = dir.resolve("out.jsonl");
        Cli.Run first = Cli.run("run", "--fn", "echo", "--no-progress", "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.INPUT, first.exitCode(), first::toString);
        assertTrue(first.err().contains("records done are in " + dir.resolve("out.jsonl.partial")), first::toString);
        assertFalse(first.err().contains("--resume"), first::toString);
        Cli.Run resumed = Cli.run("run", "--fn", "echo", "--no-progress", "--resume", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.INPUT, resumed.exitCode(), "it breaks off again: " + resumed);
    }
}
