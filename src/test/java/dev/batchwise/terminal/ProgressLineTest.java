package dev.batchwise.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.cli.Io;
import dev.batchwise.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress line over a fake terminal: its width, whether it is one, and an input of known size. */
class ProgressLineTest {

    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void loadsThenCountsWithTheShareOfAKnownSizeAndTheRecentRate() {
        StringWriter err = new StringWriter();
        TerminalConsole console = new TerminalConsole(new PrintWriter(err, true), Style.of(Map.of(), true), false,
                Map.of(), dev.batchwise.util.Phrase.KEYS, true);
        AtomicBoolean ready = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        AtomicLong read = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong now = new AtomicLong();
        ProgressLine line = new ProgressLine(console, new dev.batchwise.run.Console.ProgressSource("model minilm", ready::get, written::get,
                () -> 0, read::get, bytes::get, 1_000_000), 60, now::get);

        now.set(2 * SECOND);
        line.draw();
        assertEquals("\r\033[Kloading model minilm ...  0:02", err.toString());

        ready.set(true);
        for (int t = 3; t <= 12; t++) { // 100 records a second, a tenth of the input read ahead of them
            now.set(t * SECOND);
            written.set((t - 3) * 100L);
            read.set(written.get() + 100);
            bytes.set(read.get() * 100);
            line.draw();
        }
        String last = err.toString().substring(err.toString().lastIndexOf("\r\033[K") + 4);
        assertEquals("900 records   9%  100/s  0:12 elapsed, 1:31 left", last);
        assertTrue(last.length() < 60, last);
        line.close();
        assertTrue(err.toString().endsWith("\r\033[K"), "erased at the end");
    }

    private static Cli.Run onATerminal(boolean stdinIsTerminal, boolean stdoutSharesTerminal, String stdin,
            String... args) {
        StringWriter err = new StringWriter();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out,
                Map.of("COLUMNS", "70"), true, Io.Signals.NONE, stdinIsTerminal, stdoutSharesTerminal);
        picocli.CommandLine cl = dev.batchwise.cli.BatchwiseCommand.commandLine(io);
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli.Run(code, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void aKnownSizeShowsItsShareOnAFakeTerminalOfSeventyColumns() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            lines.append("line ").append(i).append('\n');
        }
        Path input = Files.writeString(dir.resolve("in.txt"), lines);
        Cli.Run run = onATerminal(false, false, "", "run", "--fn", "echo", "--fn-arg", "delay=150ms", "-b", "1",
                "-o", dir.resolve("out.jsonl").toString(), input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        // drawn every 250 ms over a run of 8 x 150 ms: a share of the file's size, lines within 70 columns
        assertTrue(java.util.regex.Pattern.compile("\r\033\\[K\\d+ records?\\s+\\d+%").matcher(run.err()).find(),
                run::toString);
        for (String drawn : run.err().split("\r\033\\[K")) {
            String first = drawn.lines().findFirst().orElse("");
            assertTrue(first.length() < 70, () -> "wider than the terminal: " + first);
        }
    }

    @Test
    void neverDrawnWhenTheDataGoesToTheSameTerminal() {
        Cli.Run run = onATerminal(false, true, "a\nb\nc\nd\n", "run", "--fn", "echo", "--fn-arg", "delay=150ms",
                "-b", "1");
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.err().contains("\r\033[K"), run::toString);
        assertFalse(run.err().contains(" records  "), run::toString);
    }

    @Test
    void readingStandardInputFromATerminalGetsAHint() {
        Cli.Run run = onATerminal(true, false, "typed\n", "run", "--fn", "echo");
        assertTrue(run.err().contains("batchwise: reading records from the terminal: type them, one per line, then "
                + "Ctrl-D"), run::toString);
        Cli.Run fromFile = onATerminal(true, false, "", "run", "--fn", "echo", "samples/sentences.txt");
        assertFalse(fromFile.err().contains("reading records from the terminal"), fromFile::toString);
    }
}
