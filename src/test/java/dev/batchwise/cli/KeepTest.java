package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --keep COL,...}: input columns copied into each output line, beside the function's outputs. */
class KeepTest {

    @TempDir
    Path dir;

    private Path reviews() throws Exception {
        return Files.writeString(dir.resolve("reviews.csv"), "ref,review,stars\nA1,fine,5\nB2,BAD one,1\n");
    }

    @Test
    void keptColumnsComeAfterTheIdInJsonLinesForFailedRecordsToo() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "--input", "text=review", "--keep", "review,stars", "-b", "1",
                "-q", reviews().toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        assertEquals("{\"id\":1,\"review\":\"fine\",\"stars\":\"5\",\"out\":\"FINE\"}", run.lines().get(0));
        assertTrue(run.lines().get(1).startsWith("{\"id\":2,\"review\":\"BAD one\",\"stars\":\"1\",\"error\":"),
                run::toString);
    }

    @Test
    void keptColumnsAreCsvColumnsAfterTheId() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=review", "--id", "ref", "--keep", "stars",
                "--output-format", "csv", "-q", reviews().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("id,stars,text,error", "A1,5,fine,", "B2,1,\"BAD one\","), run.lines());
    }

    @Test
    void aJsonRecordWithoutTheColumnGetsNullAndOneThatCannotBeParsedKeepsNothing() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"a\", \"n\": [1, 2]}\n{\"text\": \"b\"}\n"
                + "{oops\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--keep", "n", "-q", in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        assertEquals("{\"id\":1,\"n\":[1,2],\"text\":\"a\"}", run.lines().get(0));
        assertEquals("{\"id\":2,\"n\":null,\"text\":\"b\"}", run.lines().get(1));
        assertTrue(run.lines().get(2).startsWith("{\"id\":3,\"n\":null,\"error\":"), run::toString);
    }

    @Test
    void aColumnTheHeaderLacksIsAUsageErrorBeforeAnythingRuns() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=review", "--keep", "stras", reviews().toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("reviews.csv:1: unknown column 'stras'; its columns are: ref, review, stars "
                + "(given with --keep)"), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void aNameTheOutputLineHasAlreadyIsAUsageError() throws Exception {
        Path in = reviews();
        Cli.Run output = Cli.run("run", "--fn", "echo", "--input", "text=review", "--keep", "text", in.toString());
        assertEquals(ExitCodes.USAGE, output.exitCode(), output::toString);
        assertTrue(output.err().contains("--keep: column 'text' has the name of an output of function 'echo'"),
                output::toString);
        for (String reserved : List.of("id", "error", "latency_ms")) {
            Cli.Run run = Cli.run("run", "--fn", "echo", "--input", "text=review", "--keep", "stars," + reserved,
                    in.toString());
            assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
            assertTrue(run.err().contains("--keep: column '" + reserved + "' has the name of a field every output "
                    + "line has"), run::toString);
        }
        Cli.Run twice = Cli.run("run", "--fn", "echo", "--input", "text=review", "--keep", "stars,stars",
                in.toString());
        assertEquals(ExitCodes.USAGE, twice.exitCode(), twice::toString);
        assertTrue(twice.err().contains("--keep: column 'stars' is named twice"), twice::toString);
    }
}
