package dev.batchwise.cli;

import dev.batchwise.run.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.testing.Async;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.ManualSignals;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped mid-way through the same path the OS signal handler takes (the command's stop handler,
 * called through {@link ManualSignals}), and a resumed run that finishes the job.
 */
class InterruptAndResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path input(int n) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            b.append(i == 5 || i == 30 ? "BAD r" : "r").append(i).append('\n');
        }
        return Files.writeString(dir.resolve("in.txt"), b.toString());
    }

    private static CompletableFuture<Cli.Run> start(ManualSignals signals, List<String> args) {
        return Async.start(() -> Cli.run(InputStream.nullInputStream(), signals, args.toArray(String[]::new)));
    }

    private static List<String> args(String handle, Path in, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--fn", "scripted", "--fn-arg", "handle=" + handle, "-b", "4",
                "--grace", "1m", "--no-progress", "-o", out.toString()));
        a.addAll(List.of(more));
        a.add(in.toString());
        return a;
    }

    private static Function<List<Object>, List<? extends List<?>>> upperCase() {
        return batch -> List.of(batch.stream().map(t -> ((String) t).toUpperCase()).toList());
    }

    /** The function of the runs compared: upper-cases, and throws for a batch holding a text with BAD. */
    private static Function<List<Object>, List<? extends List<?>>> model() {
        return batch -> {
            if (batch.stream().anyMatch(t -> ((String) t).contains("BAD"))) {
                throw new IllegalArgumentException("cannot take BAD");
            }
            return upperCase().apply(batch);
        };
    }

    /**
     * Runs to the end under another handle, for the output an uninterrupted run writes.
     */
    private String reference(Path in, String outName, String... more) throws Exception {
        Path out = dir.resolve(outName);
        String handle = "reference-" + outName;
        ScriptedFunctions.put(handle, ScriptedFunction.of(model()));
        Cli.Run run = Cli.run(args(handle, in, out, more).toArray(String[]::new));
        assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run::toString);
        return Files.readString(out);
    }

    /**
     * Runs until the call that holds record 16 is under way, then sends {@code signal} from inside that
     * call (so the stop comes with exactly that batch in flight), and returns the stopped run.
     */
    private Cli.Run interrupted(String handle, Path in, Path out, int signal, String... more) throws Exception {
        ManualSignals signals = new ManualSignals();
        ScriptedFunctions.put(handle, ScriptedFunction.of(batch -> {
            if (batch.contains("r16")) {
                try {
                    signals.send(signal);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return model().apply(batch);
        }));
        Cli.Run run = start(signals, args(handle, in, out, more)).get(60, TimeUnit.SECONDS);
        assertEquals(signal, run.exitCode(), run::toString);
        return run;
    }

    private Cli.Run resume(String handle, Path in, Path out, String... more) throws Exception {
        ScriptedFunctions.put(handle, ScriptedFunction.of(model()));
        List<String> a = new ArrayList<>(args(handle, in, out, more));
        a.add(a.size() - 1, "--resume");
        return Cli.run(a.toArray(String[]::new));
    }

    private static List<Integer> ids(String jsonl) {
        return Runs.parse(jsonl).stream().map(n -> n.get("id").asInt()).toList();
    }

    @Test
    void aStoppedRunWritesTheContiguousPrefixAndItsStatsSayInterrupted() throws Exception {
        Path in = input(40);
        Path out = dir.resolve("out.jsonl");
        Path stats = dir.resolve("stats.json");
        ScriptedFunction held = ScriptedFunction.held(upperCase());
        ScriptedFunctions.put("held", held);
        ManualSignals signals = new ManualSignals();
        CompletableFuture<Cli.Run> running = start(signals, args("held", in, out, "--stats-json", stats.toString()));
        for (int call = 1; call <= 3; call++) {
            held.nextHeld().release();
        }
        ScriptedFunction.HeldCall fourth = held.nextHeld();
        assertEquals(List.of("r13", "r14", "r15", "r16"), fourth.batch());
        signals.send(ExitCodes.INTERRUPTED);
        fourth.release(); // in flight when the stop came: it finishes within the grace period and is written
        Cli.Run run = running.get(60, TimeUnit.SECONDS);

        assertEquals(130, run.exitCode(), run::toString);
        Path partial = dir.resolve("out.jsonl.partial");
        assertFalse(Files.exists(out), "an interrupted output must not look finished");
        assertEquals(IntStream.rangeClosed(1, 16).boxed().toList(), ids(Files.readString(partial)));
        assertEquals(4, held.calls().size(), "queued records must not run after the stop");
        JsonNode s = JSON.readTree(stats.toFile());
        assertTrue(s.get("interrupted").asBoolean());
        assertEquals("stopped", s.get("ending").asText());
        assertEquals(130, s.get("exit_code").asInt());
        assertEquals(16, s.get("records").asInt());
        assertEquals(4, s.get("batches").asInt());
        assertTrue(run.err().contains("batchwise: stopping: no more records are read"), run::toString);
        assertTrue(run.err().contains("interrupted: 16 records, 0 failed"), run::toString);
        assertTrue(run.err().contains("batchwise: stopped after 16 records; the 16 records done are in " + partial
                + "; run the same command with --resume to continue"), run::toString);
    }

    @ParameterizedTest
    @ValueSource(ints = {ExitCodes.INTERRUPTED, ExitCodes.TERMINATED})
    void aResumedRunFinishesWithTheOutputOfAnUninterruptedOne(int signal) throws Exception {
        Path in = input(40);
        String expected = reference(in, "reference.jsonl");
        Path out = dir.resolve("out.jsonl");
        Path stats = dir.resolve("stats.json");
        interrupted("resume-" + signal, in, out, signal);

        Cli.Run run = resume("resume-" + signal, in, out, "--stats-json", stats.toString());
        assertEquals(1, run.exitCode(), run::toString); // records 5 and 30 fail, as in the reference
        assertEquals(expected, Files.readString(out));
        assertFalse(Files.exists(dir.resolve("out.jsonl.partial")));
        assertFalse(Files.exists(dir.resolve("out.jsonl.partial.meta")));
        assertTrue(run.err().contains("batchwise: resuming " + dir.resolve("out.jsonl.partial")
                + ": 16 records are done; running from record 17"), run::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(40, s.get("records").asInt(), "a resumed run counts the whole output");
        assertEquals(16, s.get("carried_over").get("records").asInt());
        assertEquals(16, s.get("resumed_after_records").asInt());
        assertFalse(s.get("interrupted").asBoolean());
    }

    @Test
    void aLastLineCutOffByACrashIsDroppedAndWrittenAgain() throws Exception {
        Path in = input(40);
        String expected = reference(in, "reference.jsonl");
        Path out = dir.resolve("out.jsonl");
        interrupted("torn", in, out, ExitCodes.INTERRUPTED);
        Files.writeString(dir.resolve("out.jsonl.partial"), "{\"id\":17,\"out\":\"R1", StandardOpenOption.APPEND);

        Cli.Run run = resume("torn", in, out);
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(expected, Files.readString(out));
    }

    @Test
    void csvOutputWithQuotedNewlinesResumesAfterItsHeaderAndRows() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            b.append(JSON.writeValueAsString(java.util.Map.of("text", "r" + i + (i % 3 == 0 ? "\n\"two\", lines" : ""))))
                    .append('\n');
        }
        Path in = Files.writeString(dir.resolve("in.jsonl"), b.toString());
        String expected = reference(in, "reference.csv");
        Path out = dir.resolve("out.csv");
        interrupted("csv", in, out, ExitCodes.INTERRUPTED);
        assertTrue(Files.readString(dir.resolve("out.csv.partial")).startsWith("id,out,error\n"));

        Cli.Run run = resume("csv", in, out);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(expected.contains("\"R3\n\"\"TWO\"\", LINES\""), expected);
        assertEquals(expected, Files.readString(out));
    }

    @Test
    void theErrorsFileIsContinuedAndKeepsNoLineForARecordThatWasNotWritten() throws Exception {
        Path in = input(40);
        Path referenceErrors = dir.resolve("reference-errors.jsonl");
        reference(in, "reference.jsonl", "--errors", referenceErrors.toString());
        Path out = dir.resolve("out.jsonl");
        Path errors = dir.resolve("errors.jsonl");
        interrupted("errors", in, out, ExitCodes.INTERRUPTED, "--errors", errors.toString());
        assertEquals(List.of("BAD r5"), Runs.parse(Files.readString(errors)).stream().map(n -> n.get("text").asText())
                .toList());
        // as a crash could leave it: a line for a record whose output line never reached the disk, and a torn one
        Files.writeString(errors, "{\"text\":\"BAD r30\",\"_error\":{\"code\":\"function_error\",\"seq\":30}}\n{\"te",
                StandardOpenOption.APPEND);

        Cli.Run run = resume("errors", in, out, "--errors", errors.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(Files.readString(referenceErrors), Files.readString(errors));
    }

    @Test
    void aChangedInputIsRefusedAndThePartialOutputLeftAsItWas() throws Exception {
        Path in = input(40);
        Path out = dir.resolve("out.jsonl");
        interrupted("changed", in, out, ExitCodes.INTERRUPTED);
        Path partial = dir.resolve("out.jsonl.partial");
        byte[] before = Files.readAllBytes(partial);
        Files.writeString(in, "r41\n", StandardOpenOption.APPEND);

        Cli.Run run = resume("changed", in, out);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: cannot resume " + partial + ": " + in + " has changed since ("),
                run::toString);
        assertTrue(run.err().contains("; run without --resume to start over"), run::toString);
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(partial));
    }

    @Test
    void otherOptionsThatShapeTheOutputAreRefused() throws Exception {
        Path in = input(40);
        Path out = dir.resolve("out.jsonl");
        interrupted("options", in, out, ExitCodes.INTERRUPTED);

        Cli.Run run = resume("options", in, out, "--with-timing");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("it was written with --with-timing false, this run has true"), run::toString);

        // batching and arrival options do not change what is written: they may differ
        Cli.Run faster = resume("options", in, out, "-w", "3", "-b", "8");
        assertEquals(1, faster.exitCode(), faster::toString);
        assertEquals(IntStream.rangeClosed(1, 40).boxed().toList(), ids(Files.readString(out)));
    }

    @Test
    void aLastKeyThatIsNotTheInputsIsRefused() throws Exception {
        StringBuilder csv = new StringBuilder("ref,text\n");
        for (int i = 1; i <= 40; i++) {
            csv.append("p").append(i).append(",r").append(i).append('\n');
        }
        Path in = Files.writeString(dir.resolve("in.csv"), csv.toString());
        Path out = dir.resolve("out.jsonl");
        interrupted("keys", in, out, ExitCodes.INTERRUPTED, "--id", "ref");
        Path partial = dir.resolve("out.jsonl.partial");
        String written = Files.readString(partial);
        Files.writeString(partial, written.replace("{\"id\":\"p16\"", "{\"id\":\"q16\""));

        Cli.Run run = resume("keys", in, out, "--id", "ref");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: cannot resume " + partial + ": its last record, 16, has id \"q16\", "
                + "but record 16 of the input has id \"p16\": the input is not the one it was written from"),
                run::toString);
    }

    @Test
    void resumeNeedsAnOutputFileInputFilesAndTheMetaFile() throws Exception {
        Path in = input(4);
        Cli.Run noOutput = Cli.run("run", "--fn", "echo", "--resume", in.toString());
        assertEquals(2, noOutput.exitCode(), noOutput::toString);
        assertTrue(noOutput.err().contains("--resume continues an output file: give it with -o FILE"), noOutput.err());

        Cli.Run stdin = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--resume", "-o", dir.resolve("o.jsonl")
                .toString());
        assertEquals(2, stdin.exitCode(), stdin::toString);
        assertTrue(stdin.err().contains("--resume needs input files"), stdin.err());

        Path out = dir.resolve("out.jsonl");
        Files.writeString(dir.resolve("out.jsonl.partial"), "{\"id\":1,\"text\":\"r1\"}\n");
        Cli.Run noMeta = Cli.run("run", "--fn", "echo", "--resume", "-o", out.toString(), in.toString());
        assertEquals(2, noMeta.exitCode(), noMeta::toString);
        assertTrue(noMeta.err().contains(dir.resolve("out.jsonl.partial.meta") + " is missing"), noMeta.err());
    }

    @Test
    void withNothingToResumeTheRunStartsFromTheFirstRecord() throws Exception {
        Path in = input(4);
        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--resume", "--no-progress", "-o", out.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("batchwise: warning: nothing to resume (there is no "
                + dir.resolve("out.jsonl.partial") + "); running from the start\n"), run.err());
        assertEquals(List.of(1, 2, 3, 4), ids(Files.readString(out)));
        assertEquals(List.of("out.jsonl"), Stream.of(dir.toFile().list()).filter(n -> n.startsWith("out")).toList());
    }
}
