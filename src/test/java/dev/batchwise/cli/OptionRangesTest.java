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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Numeric options are checked against their ranges up front; -q keeps the failure summary. */
class OptionRangesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"-b,2147483647", "-b,0", "--workers,100000", "--queue-capacity,2147483647", "--queue-capacity,0",
            "--expect-records,-1", "--concurrency,10000000", "--lookahead,2147483647", "--max-batch-tokens,-1"})
    void anAbsurdValueIsAUsageErrorBeforeAnythingIsMade(String option, String value) {
        Cli.Run run = Cli.runWithStdin("a\n", "run", "--fn", "echo", option, value);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains(": " + value + " is out of range; it must be from "), run::toString);
        assertTrue(run.out().isEmpty(), run::toString);
    }

    @Test
    void quietKeepsOneLineSayingHowManyFailedAndWhere() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Path errors = dir.resolve("errors.jsonl");
        Cli.Run run = Cli.runWithStdin("a\nBAD b\nc\n", "run", "--fn", "misbehave", "-q", "-o", out.toString(),
                "--errors", errors.toString(), "-");
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        assertEquals(List.of("batchwise: 1 of 3 records failed; see their \"error\" in " + out + " and in " + errors),
                run.err().lines().toList());
        assertTrue(Files.exists(out));
    }
}
