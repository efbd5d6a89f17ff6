package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A resumed run's exit status is that of the whole finished output, failures written earlier included. */
class ResumedExitCodeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void failedRecordsAlreadyInThePartialOutputMakeTheResumedRunExit1(String format) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "a\nBAD b\nc\nd\n");
        Path out = dir.resolve("out." + format);
        Cli.Run first = Cli.run("run", "--fn", "misbehave", "-b", "1", "--on-error", "stop", "-q", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        Path partial = dir.resolve("out." + format + ".partial");
        assertTrue(Files.exists(partial), first::toString);
        Cli.Run resumed = Cli.run("run", "--fn", "misbehave", "-b", "1", "--resume", "-q", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        assertTrue(Files.exists(out), "the finished output is committed");
        Cli.Run oneRun = Cli.run("run", "--fn", "misbehave", "-b", "1", "-q", in.toString());
        assertEquals(oneRun.exitCode(), resumed.exitCode(), "as one uninterrupted run");
    }

    /**
     * A run killed before its first output line leaves an empty (or header-only, cut) partial output:
     * a resumed run starts from the first record, in every layout.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void aPartialOutputKilledBeforeItsFirstLineResumesFromTheStart(String format) throws Exception {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "BAD a\nb\nc\n");
        Path out = dir.resolve("out." + format);
        Path partial = dir.resolve("out." + format + ".partial");
        for (String left : new String[] {"", "id,te"}) { // nothing yet, or a header cut off
            Files.deleteIfExists(out);
            Cli.Run first = Cli.run("run", "--fn", "misbehave", "-b", "1", "--on-error", "stop", "-q", "-o",
                    out.toString(), in.toString());
            assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
            Files.writeString(partial, left);
            Cli.Run resumed = Cli.run("run", "--fn", "misbehave", "-b", "1", "--resume", "-q", "-o", out.toString(),
                    in.toString());
            assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
            assertEquals(format.equals("csv") ? 4 : 3, Files.readAllLines(out).size(), resumed::toString);
        }
    }
}
