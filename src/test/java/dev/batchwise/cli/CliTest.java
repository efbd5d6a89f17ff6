package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, through picocli's execute, with captured streams. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertNoStackTrace(Cli.Run run) {
        assertFalse(run.err().contains("\tat "), () -> "stack trace in stderr:\n" + run.err());
        assertFalse(run.err().contains("Exception"), () -> "exception name in stderr:\n" + run.err());
    }

    @Test
    void trimsTheSeedsWordsFromCsvToJsonlInOrder() throws Exception {
        Path csv = file("words.csv", "words,lens\nhello,3\nbatch,5\n\"comma, inside\",5\n");
        Cli.Run run = Cli.run("run", "--fn", "trim-words", "--quiet", csv.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"trimmed\":\"hel\"}", "{\"id\":2,\"trimmed\":\"batch\"}",
                "{\"id\":3,\"trimmed\":\"comma\"}"), run.lines());
        assertEquals("", run.err());
    }

    @Test
    void readsJsonlFromStandardInputAndWritesCsvToAFile() throws Exception {
        Path out = dir.resolve("out.csv");
        Cli.Run run = Cli.runWithStdin("{\"words\": \"alpha\", \"lens\": 2}\n{\"words\": \"beta\", \"lens\": \"3\"}\n",
                "run", "--fn", "trim-words", "-b", "16", "-w", "2", "-o", out.toString(), "--quiet");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertEquals(List.of("id,trimmed,error", "1,al,", "2,bet,"), Files.readAllLines(out));
        assertFalse(Files.exists(dir.resolve("out.csv.partial")));
    }

    @Test
    void mapsParametersToOtherColumnsAndKeysLinesByAnIdColumn() throws Exception {
        Path csv = file("reviews.csv", "ref,review\nA7,\"great, really\"\nB2,meh\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=review", "--id", "ref", "-q", csv.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":\"A7\",\"text\":\"great, really\"}", "{\"id\":\"B2\",\"text\":\"meh\"}"),
                run.lines());
    }

    @Test
    void withTimingAddsPerRecordTiming() throws Exception {
        Cli.Run run = Cli.runWithStdin("a\nb\n", "run", "--fn", "echo", "--with-timing", "-q");
        JsonNode line = JSON.readTree(run.lines().get(0));
        for (String field : List.of("queue_ms", "compute_ms", "latency_ms")) {
            assertTrue(line.get(field).isNumber(), field);
        }
        assertEquals(2, line.get("batch_size").asInt());
    }

    @Test
    void theSeedsDemoIsOneCallOfSixteenAndTheStatsSaySo() throws Exception {
        StringBuilder csv = new StringBuilder("words,lens\n");
        for (int i = 0; i < 16; i++) {
            csv.append("word").append(i).append(",4\n");
        }
        Path in = file("w.csv", csv.toString());
        Path stats = dir.resolve("stats.json");
        // sixteen clients send their records at once, so those arrive together: one batch, no delay needed
        Cli.Run run = Cli.run("run", "--fn", "trim-words", "--concurrency", "16",
                "--stats-json", stats.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(16, s.get("records").asInt());
        assertEquals(1, s.get("batches").asInt());
        assertEquals(1, s.at("/batch_size/histogram/16").asInt());
        assertEquals("closed", s.at("/settings/arrival").asText());
        assertTrue(run.err().contains("16 records, 0 failed"), run.err());
        assertTrue(run.err().contains("end to end"), run.err());
    }

    @Nested
    class Failures {
        @Test
        void aWrongNumberOfOutputListsFailsThoseRecordsWithExitCodeOne() throws Exception {
            Cli.Run run = Cli.runWithStdin("a\nb\nBAD c\nd\n", "run", "--fn", "misbehave", "--fn-arg", "mode=count",
                    "-b", "2", "-q");
            assertEquals(1, run.exitCode(), run::toString);
            List<JsonNode> lines = Runs.parse(run.out());
            assertEquals(List.of("A", "B"), List.of(lines.get(0).get("out").asText(), lines.get(1).get("out").asText()));
            assertEquals("function 'misbehave' returned 2 output lists, expected 1 (out) (one list per output)",
                    lines.get(2).at("/error/message").asText());
            assertEquals("D", lines.get(3).get("out").asText());
            assertNoStackTrace(run);
        }

        @Test
        void aWrongLengthFailsOnlyTheRecordThatCausesIt() throws Exception {
            Cli.Run run = Cli.runWithStdin("a\nb\nBAD c\nd\ne\n", "run", "--fn", "misbehave", "--fn-arg",
                    "mode=length", "-b", "4");
            assertEquals(1, run.exitCode(), run::toString);
            List<JsonNode> lines = Runs.parse(run.out());
            assertEquals(5, lines.size());
            assertEquals("contract_violation", lines.get(2).at("/error/code").asText());
            assertEquals("function 'misbehave' returned 0 values for output 'out', expected 1 (one per record in the batch)",
                    lines.get(2).at("/error/message").asText());
            assertEquals(List.of("A", "B", "D", "E"), List.of(lines.get(0).get("out").asText(),
                    lines.get(1).get("out").asText(), lines.get(3).get("out").asText(), lines.get(4).get("out").asText()));
            assertTrue(run.err().contains("1 of 5 records failed"), run.err());
        }

        @Test
        void aBadJsonlLineIsReportedWithItsLineAndTheOthersRun() throws Exception {
            Path in = file("in.jsonl", "{\"text\": \"a\"}\n{not json}\n{\"text\": \"c\"}\n");
            Cli.Run run = Cli.run("run", "--fn", "echo", "-q", in.toString());
            assertEquals(1, run.exitCode(), run::toString);
            List<JsonNode> lines = Runs.parse(run.out());
            assertEquals("a", lines.get(0).get("text").asText());
            assertEquals("bad_input", lines.get(1).at("/error/code").asText());
            assertEquals(in.toString(), lines.get(1).at("/error/source").asText());
            assertEquals(2, lines.get(1).at("/error/line").asInt());
            assertEquals("c", lines.get(2).get("text").asText());
        }

        @Test
        void aValueThatDoesNotConvertFailsItsRecord() throws Exception {
            Path in = file("w.csv", "words,lens\nhello,3\nworld,three\n");
            Cli.Run run = Cli.run("run", "--fn", "trim-words", "-q", in.toString());
            assertEquals(1, run.exitCode(), run::toString);
            JsonNode bad = Runs.parse(run.out()).get(1);
            assertEquals("column 'lens': 'three' is not an integer (input 'lens' of function 'trim-words')",
                    bad.at("/error/message").asText());
            assertEquals(3, bad.at("/error/line").asInt());
        }
    }

    @Nested
    class UsageErrors {
        @Test
        void anUnknownColumnIsAUsageErrorBeforeAnythingRuns() throws Exception {
            Path in = file("r.csv", "id,text,lang\n1,hi,en\n");
            Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=txt", in.toString());
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("", run.out());
            assertTrue(run.err().contains(in + ":1: unknown column 'txt'; its columns are: id, text, lang"),
                    run.err());
            assertNoStackTrace(run);
        }

        @Test
        void textInputHasOnlyTheTextField() throws Exception {
            Cli.Run run = Cli.runWithStdin("hello\n", "run", "--fn", "trim-words");
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.err().contains("<stdin>: unknown column 'words'; its fields are: text"), run.err());
        }

        @Test
        void unknownFunctionsOptionsAndArgumentsAreUsageErrors() {
            Cli.Run unknownFn = Cli.runWithStdin("x\n", "run", "--fn", "nope");
            assertEquals(2, unknownFn.exitCode());
            assertTrue(unknownFn.err().contains("no function named 'nope'; known: echo"), unknownFn.err());

            Cli.Run unknownArg = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--fn-arg", "dely=5s");
            assertEquals(2, unknownArg.exitCode());
            assertTrue(unknownArg.err().contains("function 'echo' has no argument 'dely'; did you mean 'delay'? It takes: delay, per-item"),
                    unknownArg.err());

            Cli.Run badDuration = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--max-delay", "soon");
            assertEquals(2, badDuration.exitCode());
            assertTrue(badDuration.err().contains("--max-delay: 'soon' is not a duration"), badDuration.err());

            Cli.Run unknownOption = Cli.run("run", "--fn", "echo", "--max-batch", "3");
            assertEquals(2, unknownOption.exitCode());
            assertTrue(unknownOption.err().contains("Try 'batchwise run --help'"), unknownOption.err());

            Cli.Run clash = Cli.run("run", "--fn", "echo", "--rate", "5", "--concurrency", "3");
            assertEquals(2, clash.exitCode());
            assertTrue(clash.err().contains("exclude each other"), clash.err());
        }

        @Test
        void aMissingInputIsExitCodeThreeAndNamesTheFile() {
            Cli.Run run = Cli.run("run", "--fn", "echo", dir.resolve("missing.txt").toString());
            assertEquals(3, run.exitCode(), run::toString);
            assertEquals("batchwise: " + dir.resolve("missing.txt") + ": no such file\n", run.err());
        }

        @Test
        void anOutputInAMissingDirectoryIsExitCodeFour() {
            Cli.Run run = Cli.runWithStdin("x\n", "run", "--fn", "echo", "-o", dir.resolve("no/such/out.jsonl").toString());
            assertEquals(4, run.exitCode(), run::toString);
            assertTrue(run.err().contains("does not exist"), run.err());
        }
    }

    /** A named pipe that {@code content} is written to once a reader opens it, as {@code <(zcat ...)} gives. */
    private Path namedPipe(String name, String content) throws Exception {
        Path fifo = dir.resolve(name);
        int made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        org.junit.jupiter.api.Assumptions.assumeTrue(made == 0, "mkfifo is not available");
        dev.batchwise.testing.Async.start(() -> {
            Files.writeString(fifo, content); // blocks until the reader opens it
            return null;
        });
        return fifo;
    }

    @Test
    void aPipeAmongTheInputsIsReadOnceAndWhole() throws Exception {
        Path first = file("first.txt", "a\n");
        Path pipe = namedPipe("second.txt", "b\nc\n");
        Path out = dir.resolve("out.jsonl");
        // with -o the inputs are fingerprinted for --resume: a pipe must not be read for that
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", out.toString(), first.toString(), pipe.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"a\"}", "{\"id\":2,\"text\":\"b\"}", "{\"id\":3,\"text\":\"c\"}"),
                Files.readAllLines(out));
    }

    @Test
    void emptyInputWritesNothingAndWarns() throws Exception {
        Path in = file("empty.csv", "");
        Cli.Run run = Cli.run("run", "--fn", "echo", in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains("warning: " + in + " has no records"), run.err());
    }

    @Test
    void helpListsTheOptionGroupsAndExitCodes() {
        Cli.Run run = Cli.run("run", "--help");
        assertEquals(0, run.exitCode());
        for (String heading : List.of("Input:", "Model (", "Function (", "Arrivals", "Batching:", "Output:", "Stats and messages:",
                "Exit codes:", "Examples:")) {
            assertTrue(run.out().contains(heading), heading);
        }
    }

    @Test
    void modelsListsTheBuiltInFunctions() {
        Cli.Run run = Cli.run("models");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("trim-words"), run.out());
        assertTrue(run.out().contains("echo"), run.out());
    }

    @Test
    void modelsStartsEveryDescriptionInOneColumnPastTheLongestName() {
        Cli.Run run = Cli.run("models");
        assertEquals(0, run.exitCode());
        int column = -1;
        int rows = 0;
        for (String line : run.lines()) {
            if (!line.startsWith("  ")) {
                continue;
            }
            String name = line.substring(2, line.indexOf(' ', 2));
            int description = line.indexOf(line.substring(2 + name.length()).strip(), 2 + name.length());
            assertTrue(description > 2 + name.length(), "a space between name and description: " + line);
            if (column < 0) {
                column = description;
            }
            assertEquals(column, description, line);
            rows++;
        }
        assertTrue(run.out().contains("  bge-small-en-v1.5-q "), run.out());
        assertTrue(rows >= 8, run.out());
    }

    @Test
    void taskHelpListsEveryTask() {
        Cli.Run run = Cli.run("run", "--help");
        assertEquals(0, run.exitCode());
        String help = run.out().replaceAll("\\s+", " ");
        int at = help.lastIndexOf("--task=TASK");
        String task = help.substring(at, help.indexOf("--top-k", at));
        for (dev.batchwise.model.Task t : dev.batchwise.model.Task.values()) {
            assertTrue(task.contains(" " + t.label() + " ("), t.label() + " in " + task);
        }
        assertTrue(help.contains("bge-small-en-v1.5, e5-small-v2"), help);
    }
}
