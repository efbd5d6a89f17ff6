package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunction.HeldCall;
import dev.batchwise.testing.ScriptedFunctions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    void aTerminalGetsColourAndAProgressLine() throws Exception {
        // the run on a fake clock, its calls held: the test decides how many records are done at each redraw
        FakeClock clock = new FakeClock();
        ScriptedFunction f = ScriptedFunction.held();
        ScriptedFunctions.put("progress", f);
        long start = clock.nanoTime(); // the clock moves only when told: the line starts at this time
        CompletableFuture<Cli.Run> running = CompletableFuture.supplyAsync(() -> Cli.run(
                new ByteArrayInputStream("a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n".getBytes(StandardCharsets.UTF_8)),
                Io.Signals.NONE, Map.of(), true, clock, "run", "--fn", "scripted", "--fn-arg", "handle=progress", "-b",
                "1"));
        HeldCall call = f.nextHeld();
        for (int redraw = 1; redraw <= 2; redraw++) {
            clock.awaitSleeperUntil(start + redraw * QUARTER_SECOND, PROGRESS); // the line waits for its next redraw
            for (int i = 0; i < 4; i++) {
                call.release();
                call = f.nextHeld(); // one worker: it takes the next record once it has written the last
            }
            clock.advance(QUARTER_SECOND);
            clock.awaitSleeperUntil(start + (redraw + 1) * QUARTER_SECOND, PROGRESS); // drawn, and waiting again
        }
        call.release(); // the ninth record
        f.nextHeld().release(); // the tenth; then the run ends
        Cli.Run run = running.get(60, TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), run::toString);
        assertCleanData(run, 10);
        // at the first redraw 4 records are done, too few samples for a rate; at the second, 4 more in 250 ms
        assertTrue(run.err().contains("\r\033[K4 records  0:00"), "the first line drawn: " + run.err());
        assertTrue(run.err().contains("\r\033[K8 records  16/s  0:00"), "the second, with its rate: " + run.err());
        assertTrue(run.err().contains("\r\033[K\033[1m10 records, 0 failed"),
                "and erased before the stats table: " + run.err());
    }

    private static final long QUARTER_SECOND = 250_000_000L;
    /** The thread that redraws the progress line (the run's flusher sleeps on the clock too). */
    private static final String PROGRESS = "batchwise-progress";

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
