package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each kind of bad input: a one-line message naming the file and line, the documented exit code, no
 * stack trace, and the good records around a bad one still processed and written.
 */
class BadInputTest {

    @TempDir
    Path dir;

    /**
     * A bad record between two good ones: the file's name and content, the function and its options,
     * the line of the bad record, how its message starts, and the two good outputs.
     */
    record Case(String name, byte[] content, List<String> fn, int badLine, String message, String field,
            String first, String last) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case trim(String name, String body, int badLine, String message) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), List.of("--fn", "trim-words"), badLine, message,
                "trimmed", "hel", "batch");
    }

    private static Case echo(String name, byte[] body, int badLine, String message) {
        return new Case(name, body, List.of("--fn", "echo"), badLine, message, "text", "a", "c");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Case> badRecords() {
        byte[] invalidUtf8 = {'a', '\n', 'b', (byte) 0xC3, (byte) 0x28, '\n', 'c', '\n'};
        byte[] tenMegabytes = utf8("a\n" + "x".repeat(10 * 1024 * 1024) + "\nc\n");
        return Stream.of(
                trim("unbalanced-quote.csv", "words,lens\nhello,3\n\"never closed,2\nbatch,5\n", 3,
                        "unbalanced quote: a quoted field opens on this line and does not close before the end of the"
                                + " input; reading resumes on the next line"),
                trim("too-few.csv", "words,lens\nhello,3\nlonely\nbatch,5\n", 3,
                        "has 1 field but the header has 2 (fix the row, or accept such rows with --ragged-rows)"),
                trim("too-many.csv", "words,lens\nhello,3\na,1,extra\nbatch,5\n", 3,
                        "has 3 fields but the header has 2 (fix the row, or accept such rows with --ragged-rows)"),
                trim("too-many.tsv", "words\tlens\nhello\t3\na\t1\textra\nbatch\t5\n", 3,
                        "has 3 fields but the header has 2 (fix the row, or accept such rows with --ragged-rows)"),
                trim("not-a-number.csv", "words,lens\nhello,3\nworld,three\nbatch,5\n", 3,
                        "column 'lens': 'three' is not an integer (input 'lens' of function 'trim-words')"),
                echo("not-json.jsonl", utf8("{\"text\": \"a\"}\n{\"text\": \"b\"\n{\"text\": \"c\"}\n"), 2,
                        "not valid JSON: "),
                echo("not-an-object.jsonl", utf8("{\"text\": \"a\"}\n[\"b\"]\n{\"text\": \"c\"}\n"), 2,
                        "is a JSON array, not an object; each line must be one object such as {\"text\": \"...\"}"),
                echo("missing-field.jsonl", utf8("{\"text\": \"a\"}\n{\"txt\": \"b\"}\n{\"text\": \"c\"}\n"), 2,
                        "no field 'text' (for input 'text'); this record has: txt"),
                echo("invalid-utf8.txt", invalidUtf8, 2,
                        "not valid UTF-8 (at byte 2 of the line); re-encode the input as UTF-8"),
                echo("ten-megabyte-line.txt", tenMegabytes, 2,
                        "line is 10.0 MiB, over the limit of 1.0 MiB (raise it with --max-record-size)"));
    }

    private Path write(Case c) throws Exception {
        Path p = dir.resolve(c.name());
        Files.write(p, c.content());
        return p;
    }

    private static String[] args(List<String> fn, String... more) {
        return Stream.concat(Stream.concat(Stream.of("run"), fn.stream()), Stream.of(more)).toArray(String[]::new);
    }

    private static void assertNoStackTrace(Cli.Run run) {
        assertFalse(run.err().contains("\tat "), () -> "stack trace in stderr:\n" + run.err());
        assertFalse(run.err().contains("Exception"), () -> "exception name in stderr:\n" + run.err());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void aBadRecordFailsAloneWithItsFileAndLineAndTheOthersAreWritten(Case c) throws Exception {
        Path in = write(c);
        Cli.Run run = Cli.run(args(c.fn(), "--no-progress", in.toString()));

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: " + in + ":" + c.badLine() + ": " + c.message()), run::toString);
        assertNoStackTrace(run);
        List<JsonNode> out = Runs.parse(run.out());
        assertEquals(3, out.size(), run::toString);
        assertEquals(c.first(), out.get(0).get(c.field()).asText());
        JsonNode bad = out.get(1);
        assertEquals("bad_input", bad.at("/error/code").asText());
        assertTrue(bad.at("/error/message").asText().startsWith(c.message()), bad::toString);
        assertEquals(in.toString(), bad.at("/error/source").asText());
        assertEquals(c.badLine(), bad.at("/error/line").asInt());
        assertEquals(c.last(), out.get(2).get(c.field()).asText());
        assertTrue(run.err().contains("1 of 3 records failed"), run::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void underOnErrorStopTheBadRecordEndsTheRunAfterTheGoodOnesBeforeIt(Case c) throws Exception {
        Path in = write(c);
        Cli.Run run = Cli.run(args(c.fn(), "--on-error", "stop", "--no-progress", in.toString()));

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: stopped at the first failure (record 2, " + in + ":" + c.badLine()
                + "): " + c.message()), run::toString);
        assertNoStackTrace(run);
        List<JsonNode> out = Runs.parse(run.out());
        assertEquals(2, out.size(), run::toString);
        assertEquals(c.first(), out.get(0).get(c.field()).asText());
        assertEquals(c.badLine(), out.get(1).at("/error/line").asInt());
    }

    @Test
    void aMissingFileIsExitCodeThree() {
        Path missing = dir.resolve("missing.csv");
        Cli.Run run = Cli.run("run", "--fn", "echo", missing.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("batchwise: " + missing + ": no such file\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void aDirectoryIsExitCodeThree() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("reviews.csv"), "text\ngood\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", dir.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("batchwise: " + dir + " is a directory; give the files in it, e.g. " + dir.resolve("*.csv")
                + "\n", run.err());
    }

    @Test
    void anUnreadableFileIsExitCodeThreeBeforeAnythingRuns() throws Exception {
        Path good = Files.writeString(dir.resolve("first.txt"), "a\n");
        Path locked = Files.writeString(dir.resolve("locked.txt"), "b\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as a user who reads any file (root)");
        Cli.Run run = Cli.run("run", "--fn", "echo", good.toString(), locked.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("batchwise: " + locked + ": permission denied (not readable)\n", run.err());
        assertEquals("", run.out(), "the first input must not have run");
    }

    @Test
    void anEmptyFileIsAWarningAndExitCodeZero() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        Cli.Run run = Cli.run("run", "--fn", "echo", empty.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("batchwise: warning: " + empty + " has no records\n"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aMappedColumnThatDoesNotExistIsAUsageErrorNamingTheHeaderLine() throws Exception {
        Path in = Files.writeString(dir.resolve("r.csv"), "\nid,review\n1,fine\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=txt", in.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("batchwise run: " + in + ":2: unknown column 'txt'; its columns are: id, review;"
                + " function 'echo' reads input 'text' from it: choose a column with --input text=COLUMN\n"),
                run::toString);
        assertEquals("", run.out());
        assertNoStackTrace(run);
    }

    @Test
    void aBrokenHeaderIsExitCodeThree() throws Exception {
        Path in = Files.writeString(dir.resolve("h.csv"), "text,id,text\n1,2,3\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", in.toString());
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals("batchwise: " + in + ":1: the header names 'text' twice (columns 1 and 3); rename one\n",
                run.err());
    }

    @Test
    void aFunctionFailureUnderOnErrorStopEndsTheRunAfterTheRecordsInFlight() {
        Cli.Run run = Cli.runWithStdin("a\nb\nBAD c\nd\ne\nf\ng\nh\n", "run", "--fn", "misbehave", "-b", "2",
                "--on-error", "stop", "--no-progress");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: stopped at the first failure (record 3, <stdin>:3): function "
                + "'misbehave' failed: IllegalStateException: cannot handle 'BAD'\n"), run::toString);
        List<JsonNode> out = Runs.parse(run.out());
        // one worker: [a b] ran, [BAD c, d] was split and ran; e..h were still queued and are dropped
        assertEquals(List.of("A", "B"), List.of(out.get(0).get("out").asText(), out.get(1).get("out").asText()));
        assertEquals("function_error", out.get(2).at("/error/code").asText());
        assertEquals("D", out.get(3).get("out").asText());
        assertEquals(4, out.size(), run::toString);
    }

    @Test
    void onlyTheFirstTenFailuresAreListedOnStandardError() {
        StringBuilder in = new StringBuilder();
        for (int i = 1; i <= 15; i++) {
            in.append("{\"text\": ").append(i).append(" oops}\n");
        }
        Cli.Run run = Cli.runWithStdin(in.toString(), "run", "--fn", "echo", "--no-progress");
        assertEquals(1, run.exitCode(), run::toString);
        List<String> failures = run.err().lines().filter(l -> l.startsWith("batchwise: <stdin>:")).toList();
        assertEquals(10, failures.size(), run::toString);
        assertTrue(failures.get(9).startsWith("batchwise: <stdin>:10: not valid JSON: "), failures.get(9));
        assertTrue(run.err().contains("batchwise: more records failed; each has an \"error\" in the output\n"),
                run::toString);
        assertEquals(15, Runs.parse(run.out()).size());
    }
}
