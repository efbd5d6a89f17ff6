package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import org.junit.jupiter.api.Test;

/** An option the chosen mode does not use gets a warning; the run goes on. */
class IgnoredOptionsTest {

    @Test
    void modelOptionsWithAFunction() {
        Cli.Run run = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--top-k", "3", "--max-length", "64");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("batchwise: warning: --top-k is ignored: it is a model option, and --fn runs "
                + "a function"), run::toString);
        assertTrue(run.err().contains("warning: --max-length is ignored"), run::toString);
    }

    @Test
    void seedWithoutPoissonArrivalsAndLookaheadWithoutGrouping() {
        Cli.Run burst = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--seed", "7", "--lookahead", "64");
        assertTrue(burst.err().contains("warning: --seed is ignored: it seeds Poisson arrivals"), burst::toString);
        assertTrue(burst.err().contains("warning: --lookahead is ignored"), burst::toString);
        Cli.Run constant = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--rate", "1000", "--arrival", "constant",
                "--seed", "7");
        assertTrue(constant.err().contains("--seed is ignored"), constant::toString);
        Cli.Run poisson = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--rate", "1000", "--arrival", "poisson",
                "--seed", "7");
        assertFalse(poisson.err().contains("ignored"), poisson::toString);
    }

    @Test
    void topKOnlyForClassifyAndNothingWhenQuietOrWhenEverythingApplies() {
        Cli.Run embed = Cli.runWithStdin("a\n", "run", "--top-k", "2", "--task", "embed");
        assertEquals(0, embed.exitCode(), embed::toString);
        assertTrue(embed.err().contains("--top-k is ignored: it applies to --task classify and generate, and this run's "
                + "task is embed"), embed::toString);
        Cli.Run quiet = Cli.runWithStdin("a\n", "run", "-q", "--fn", "echo", "--top-k", "3");
        assertEquals("", quiet.err());
        Cli.Run plain = Cli.runWithStdin("a\n", "run", "--fn", "echo");
        assertFalse(plain.err().contains("warning"), plain::toString);
    }

    @Test
    void generationOptionsOnlyForGenerate() {
        Cli.Run echo = Cli.runWithStdin("a\n", "run", "--fn", "echo", "--temperature", "0", "--batching", "static");
        assertEquals(0, echo.exitCode(), echo::toString);
        assertTrue(echo.err().contains("warning: --temperature is ignored: it applies to --task generate"),
                echo::toString);
        assertTrue(echo.err().contains("warning: --batching is ignored: it applies to --task generate"), echo::toString);
    }
}
