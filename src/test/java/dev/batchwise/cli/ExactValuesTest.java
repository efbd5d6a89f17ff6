package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON values pass through exactly as the input wrote them: numbers past a double's range or
 * precision, in the text a function gets, in kept columns, nested or not, and in the errors file.
 */
class ExactValuesTest {

    @TempDir
    Path dir;

    private static final String BIG = "123456789012345678901234567890.123456789";

    @Test
    void numbersReachTheFunctionAsWritten() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": 1e400}\n{\"text\": " + BIG + "}\n"
                + "{\"text\": -0.0}\n{\"text\": 18446744073709551617}\n{\"text\": 1.50E-3}\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"1e400\"}", "{\"id\":2,\"text\":\"" + BIG + "\"}",
                "{\"id\":3,\"text\":\"-0.0\"}", "{\"id\":4,\"text\":\"18446744073709551617\"}",
                "{\"id\":5,\"text\":\"1.50E-3\"}"), run.lines());
    }

    @Test
    void keptColumnsAndIdsKeepTheirNumbersNestedOrNot() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"ref\": 98765432109876543210, \"text\": \"a\", "
                + "\"n\": " + BIG + ", \"meta\": {\"x\": 1e-400, \"y\": [1E+400, 2.000, 3]}}\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--id", "ref", "--keep", "n,meta", "-q", in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(List.of("{\"id\":98765432109876543210,\"n\":" + BIG
                + ",\"meta\":{\"x\":1e-400,\"y\":[1E+400,2.000,3]},\"text\":\"a\"}"), run.lines());
        Cli.Run csv = Cli.run("run", "--fn", "echo", "--id", "ref", "--keep", "n", "--output-format", "csv", "-q",
                in.toString());
        assertEquals(List.of("id,n,text,error", "98765432109876543210,\"" + BIG + "\",a,"), csv.lines());
    }

    @Test
    void theErrorsFileHoldsTheRecordsValuesAsWrittenAndRunsAgainToTheSameValues() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"fine\", \"n\": 1e400}\n"
                + "{\"text\": \"BAD\", \"n\": " + BIG + ", \"deep\": [0.1000000000000000055511151231257827]}\n");
        Path errors = dir.resolve("errors.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "--errors", errors.toString(), "-q", "-b", "1",
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        String line = Files.readAllLines(errors).get(0);
        assertEquals(true, line.startsWith("{\"text\":\"BAD\",\"n\":" + BIG
                + ",\"deep\":[0.1000000000000000055511151231257827],\"_error\":"), line);
        Cli.Run again = Cli.run("run", "--fn", "echo", "--keep", "n,deep", "-q", errors.toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(true, again.lines().get(0).contains("\"n\":" + BIG + ",\"deep\":[0.1000000000000000055511151231257827]"),
                again::toString);
    }
}
