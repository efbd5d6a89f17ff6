package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import org.junit.jupiter.api.Test;

/** Mistyped names on the command line get the closest known name first. */
class SuggestionsCliTest {

    private static String firstLine(Cli.Run run) {
        return run.err().lines().findFirst().orElse("");
    }

    @Test
    void aMistypedCommand() {
        Cli.Run run = Cli.run("rnu", "samples/words.csv");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("batchwise: unknown command 'rnu'; did you mean 'run'?", firstLine(run));
        Cli.Run far = Cli.run("zebra");
        assertTrue(firstLine(far).contains("unknown command 'zebra'; the commands are: run, bench, models, completion, help"),
                far::toString);
    }

    @Test
    void aMistypedOptionListsTheClosestFirst() {
        Cli.Run run = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--max-batchsize", "3");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(firstLine(run).startsWith("batchwise run: unknown option '--max-batchsize'; did you mean "
                + "'--max-batch-size'"), run::toString);
        assertFalse(run.err().contains("Possible solutions"), run::toString);
        Cli.Run withValue = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--worker=2");
        assertTrue(firstLine(withValue).contains("unknown option '--worker'; did you mean '--workers'?"),
                withValue::toString);
        Cli.Run models = Cli.run("models", "--plugn", "x.jar");
        assertTrue(firstLine(models).contains("unknown option '--plugn'; did you mean '--plugin'?"), models::toString);
    }

    @Test
    void anotherToolsNameForTheBatchSizeGetsOurs() {
        Cli.Run run = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--batch-size", "32");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(firstLine(run).startsWith("batchwise run: unknown option '--batch-size'; did you mean "
                + "'--max-batch-size'?"), run::toString);
        Cli.Run bench = Cli.run("bench", "--fn", "echo", "--batch_size=4", "samples/words.csv");
        assertEquals(2, bench.exitCode(), bench::toString);
        assertTrue(firstLine(bench).startsWith("batchwise bench: unknown option '--batch_size'; did you mean "
                + "'--max-batch-size'?"), bench::toString);
    }

    @Test
    void anInputWithoutItsColumnGetsTheMappingThatWorksForAModel() {
        Cli.Run run = Cli.run("run", "--input", "review", "samples/reviews.csv");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(firstLine(run).endsWith("--input review: write PARAM=COLUMN, the input's name, then the column: "
                + "for a model's text, --input text=review"), run::toString);
    }

    @Test
    void aMistypedFunctionModelOrFunctionArgument() {
        Cli.Run fn = Cli.runWithStdin("x\n", "run", "--fn", "trim-word");
        assertEquals(2, fn.exitCode(), fn::toString);
        assertTrue(firstLine(fn).contains("no function named 'trim-word'; did you mean 'trim-words'?"), fn::toString);

        Cli.Run model = Cli.runWithStdin("x\n", "run", "--model", "minlm");
        assertEquals(2, model.exitCode(), model::toString);
        assertTrue(firstLine(model).contains("did you mean 'minilm'?"), model::toString);

        Cli.Run arg = Cli.runWithStdin("x\n", "run", "--fn", "echo", "--fn-arg", "peritem=2ms");
        assertEquals(2, arg.exitCode(), arg::toString);
        assertTrue(firstLine(arg).contains("has no argument 'peritem'; did you mean 'per-item'?"), arg::toString);
    }
}
