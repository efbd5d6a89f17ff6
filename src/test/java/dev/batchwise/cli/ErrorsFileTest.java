package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --errors FILE}: the failed records as read, with their errors, re-runnable as an input. */
class ErrorsFileTest {

    @TempDir
    Path dir;

    private List<JsonNode> lines(Path p) throws Exception {
        return Runs.parse(Files.readString(p));
    }

    @Test
    void failedTextRecordsRunAgainFromTheErrorsFile() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nBAD b\nc\nBAD d\n");
        Path errors = dir.resolve("bad.jsonl");
        Cli.Run first = Cli.run("run", "--fn", "misbehave", "-b", "4", "-q", "--errors", errors.toString(),
                in.toString());
        assertEquals(1, first.exitCode(), first::toString);

        List<JsonNode> failed = lines(errors);
        assertEquals(2, failed.size());
        assertEquals("BAD b", failed.get(0).get("text").asText());
        JsonNode error = failed.get(0).get("_error");
        assertEquals("function_error", error.get("code").asText());
        assertEquals("function 'misbehave' failed: IllegalStateException: cannot handle 'BAD'",
                error.get("message").asText());
        assertEquals(in.toString(), error.get("source").asText());
        assertEquals(2, error.get("line").asInt());
        assertEquals(2, error.get("seq").asInt());
        assertEquals("BAD d", failed.get(1).get("text").asText());
        assertEquals(4, failed.get(1).at("/_error/line").asInt());

        // the function fixed (it no longer minds the marker), the errors file runs as is
        Cli.Run again = Cli.run("run", "--fn", "misbehave", "--fn-arg", "marker=NOTHING", "-q", errors.toString());
        assertEquals(0, again.exitCode(), again::toString);
        // each keeps the id it had in the first run: its sequence number there
        assertEquals(List.of("{\"id\":2,\"out\":\"BAD B\"}", "{\"id\":4,\"out\":\"BAD D\"}"), again.lines());
    }

    @Test
    void recordsRunAgainKeepTheirOriginalIdsThroughErrorsFilesOfErrorsFiles() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\nBAD c\nd\nBAD e\n");
        Path first = dir.resolve("bad1.jsonl");
        Path second = dir.resolve("bad2.jsonl");
        Cli.run("run", "--fn", "misbehave", "-b", "1", "-q", "--errors", first.toString(), in.toString());
        // still failing: the second errors file keeps the original sequence numbers in _error.seq
        Cli.Run again = Cli.run("run", "--fn", "misbehave", "-b", "1", "-q", "--with-timing", "--errors",
                second.toString(), first.toString());
        assertEquals(1, again.exitCode(), again::toString);
        assertEquals(List.of(3, 5), Runs.parse(again.out()).stream().map(l -> l.get("id").asInt()).toList());
        List<JsonNode> failed = lines(second);
        assertEquals(List.of(3, 5), failed.stream().map(l -> l.at("/_error/seq").asInt()).toList());
        assertEquals(List.of(1, 2), failed.stream().map(l -> l.at("/_error/line").asInt()).toList(),
                "the line is where it was read this time");

        Cli.Run fixed = Cli.run("run", "--fn", "misbehave", "--fn-arg", "marker=NOTHING", "-q", "--output-format",
                "csv", second.toString());
        assertEquals(0, fixed.exitCode(), fixed::toString);
        assertEquals(List.of("id,out,error", "3,\"BAD C\",", "5,\"BAD E\","), fixed.lines());
    }

    @Test
    void failedCsvRowsKeepTheirColumnsSoTheSameMappingRunsThemAgain() throws Exception {
        Path in = Files.writeString(dir.resolve("reviews.csv"), "ref,review,stars\nA1,fine,5\nB2,\"BAD, really\",1\n"
                + "C3,ok,3\n");
        Path errors = dir.resolve("bad.jsonl");
        String[] options = {"--fn", "misbehave", "--input", "text=review", "--id", "ref", "-q"};
        Cli.Run first = Cli.run(concat(new String[] {"run"}, options, new String[] {"--errors", errors.toString(),
            in.toString()}));
        assertEquals(1, first.exitCode(), first::toString);
        List<JsonNode> failed = lines(errors);
        assertEquals(1, failed.size());
        // CSV values stay text: the parameter types convert them as they convert CSV cells
        assertEquals("{\"ref\":\"B2\",\"review\":\"BAD, really\",\"stars\":\"1\"}",
                ((com.fasterxml.jackson.databind.node.ObjectNode) failed.get(0).deepCopy()).without("_error").toString());

        Cli.Run again = Cli.run(concat(new String[] {"run"}, options, new String[] {"--fn-arg", "marker=NOTHING",
            errors.toString()}));
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(List.of("{\"id\":\"B2\",\"out\":\"BAD, REALLY\"}"), again.lines());
    }

    @Test
    void aJsonRecordIsKeptAsItWasAndARecordThatCouldNotBeReadKeepsItsText() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"BAD x\", \"n\": 5, \"tags\": [1, 2]}\n"
                + "{\"text\": oops}\n{\"text\": \"fine\"}\n");
        Path errors = dir.resolve("bad.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "-q", "--errors", errors.toString(), in.toString());
        assertEquals(1, run.exitCode(), run::toString);
        List<JsonNode> failed = lines(errors);
        assertEquals(2, failed.size());
        assertEquals("{\"text\":\"BAD x\",\"n\":5,\"tags\":[1,2]}", ((com.fasterxml.jackson.databind.node.ObjectNode) failed.get(0).deepCopy()).without("_error").toString());
        assertEquals("{\"text\": oops}", failed.get(1).get("_raw").asText());
        assertEquals("bad_input", failed.get(1).at("/_error/code").asText());
        assertEquals(2, failed.get(1).at("/_error/line").asInt());
    }

    @Test
    void anErrorsFileThatFailsAgainHasOneErrorPerRecordTheNewOne() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "BAD a\nb\n");
        Path first = dir.resolve("bad1.jsonl");
        Path second = dir.resolve("bad2.jsonl");
        Cli.run("run", "--fn", "misbehave", "-q", "--errors", first.toString(), in.toString());
        Cli.Run again = Cli.run("run", "--fn", "misbehave", "-q", "--errors", second.toString(), first.toString());
        assertEquals(1, again.exitCode(), again::toString);
        String line = Files.readString(second);
        assertEquals(1, line.split("\"_error\"", -1).length - 1, line);
        JsonNode failed = lines(second).get(0);
        assertEquals("BAD a", failed.get("text").asText());
        assertEquals(first.toString(), failed.at("/_error/source").asText());
    }

    @Test
    void aRunWithoutFailuresLeavesAnEmptyErrorsFile() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Path errors = Files.writeString(dir.resolve("bad.jsonl"), "left from an earlier run\n");
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "-q", "--errors", errors.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("", Files.readString(errors));
    }

    @Test
    void aRunThatCannotStartLeavesAnEarlierErrorsFileAlone() throws Exception {
        Path in = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        Path errors = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"from before\"}\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--errors", errors.toString(), in.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("{\"text\": \"from before\"}\n", Files.readString(errors));
    }

    @Test
    void theErrorsFileMustNotBeAnInputOrTheOutput() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\n");
        Cli.Run input = Cli.run("run", "--fn", "echo", "--errors", in.toString(), in.toString());
        assertEquals(2, input.exitCode(), input::toString);
        assertTrue(input.err().contains("--errors " + in + " is an input; writing it would destroy it"), input.err());
        assertEquals("a\n", Files.readString(in));

        Path out = dir.resolve("out.jsonl");
        Cli.Run output = Cli.run("run", "--fn", "echo", "-o", out.toString(), "--errors", out.toString(), in.toString());
        assertEquals(2, output.exitCode(), output::toString);
        assertTrue(output.err().contains("--errors and -o name the same file"), output.err());
        assertFalse(Files.exists(out));
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
