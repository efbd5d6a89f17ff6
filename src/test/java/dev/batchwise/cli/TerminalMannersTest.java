package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Runs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Data only on standard output; colour and progress on standard error only for a terminal that wants them. */
class TerminalMannersTest {

    private static final String ESC = "\033[";

    private static Cli.Run run(Map<String, String> env, boolean terminal, String stdin, String... args) {
        return Cli.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Io.Signals.NONE, env, terminal,
                args);
    }

    private static void assertCleanData(Cli.Run run, int records) {
        assertFalse(run.out().contains(ESC), "escape codes on standard output");
        assertEquals(records, Runs.parse(run.out()).size());
    }

    @Test
    void aTerminalGetsColourAndAProgressLine() {
        Cli.Run run = run(Map.of(), true, "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "run", "--fn", "echo", "--fn-arg",
                "delay=100ms", "-b", "1");
        assertEquals(0, run.exitCode(), run::toString);
        assertCleanData(run, 10);
        // the run takes 10 x 100 ms; the line is redrawn every 250 ms: what it draws, not only the erasing
        // (which is printed at the end either way)
        assertTrue(java.util.regex.Pattern.compile("\r\033\\[K\\d+ records  [\\d,]+/s").matcher(run.err()).find(),
                "a progress line is drawn: " + run.err());
        assertTrue(run.err().contains("\r\033[K\033[1m10 records, 0 failed"),
                "and erased before the stats table: " + run.err());
    }

    @Test
    void errorsAreRedOnATerminal() {
        Cli.Run run = run(Map.of(), true, "", "run", "--fn", "nope");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\033[1m\033[31mno function named 'nope'"), run.err());
    }

    @Test
    void noColourAndNoProgressWhenNoColorIsSet() {
        Cli.Run run = run(Map.of("NO_COLOR", "1"), true, "a\nb\nc\nd\ne\n", "run", "--fn", "echo", "--fn-arg",
                "delay=100ms", "-b", "1");
        assertCleanData(run, 5);
        assertFalse(run.err().contains(ESC), run.err());
    }

    @Test
    void noColourOnADumbTerminal() {
        Cli.Run run = run(Map.of("TERM", "dumb"), true, "x\n", "run", "--fn", "nope");
        assertFalse(run.err().contains(ESC), run.err());
    }

    @Test
    void nothingButDataWhenPiped() {
        Cli.Run run = run(Map.of(), false, "a\nBAD b\nc\n", "run", "--fn", "misbehave", "--fn-arg", "mode=throw");
        assertEquals(1, run.exitCode());
        assertCleanData(run, 3);
        assertFalse(run.err().contains(ESC), run.err());
        assertTrue(run.err().contains("1 of 3 records failed"), run.err());
    }

    @Test
    void expectRecordsLetsACiJobAssertOnTheCount() {
        Cli.Run ok = run(Map.of(), false, "a\nb\nc\n", "run", "--fn", "echo", "--expect-records", "3", "-q");
        assertEquals(0, ok.exitCode(), ok::toString);
        Cli.Run short1 = run(Map.of(), false, "a\nb\n", "run", "--fn", "echo", "--expect-records", "3", "-q");
        assertEquals(6, short1.exitCode(), short1::toString);
        assertEquals("batchwise: expected 3 records (--expect-records), the output has 2\n", short1.err());
    }
}
