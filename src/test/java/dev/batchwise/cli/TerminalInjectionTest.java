package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values and names from the user reach standard error escaped: no escape sequence reaches the
 * terminal, and no embedded newline forges a line of its own.
 */
class TerminalInjectionTest {

    /** ESC OSC title BEL, a newline that starts a forged message, CR, a C1 CSI, a bidi override. */
    private static final String HOSTILE = "x\u001b]0;owned\u0007\nbatchwise: all good\r\u009b2J\u202e";

    @TempDir
    Path dir;

    /** Every character is printable, but for the newlines that end lines. */
    private static void assertInert(Cli.Run run) {
        for (char c : run.err().toCharArray()) {
            assertTrue(c == '\n' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != '\u202e'),
                    () -> String.format("U+%04X on standard error: %s", (int) c, run));
        }
        assertFalse(run.err().lines().anyMatch(l -> l.startsWith("batchwise: all good")), run::toString);
    }

    @Test
    void aRecordValueInAFailureLineIsEscaped() {
        String in = "{\"words\":\"w\",\"lens\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(HOSTILE) + "}\n";
        Cli.Run run = Cli.runWithStdin(in, "run", "--fn", "trim-words", "--no-progress", "-");
        assertEquals(1, run.exitCode(), run::toString);
        assertInert(run);
        assertTrue(run.err().contains("'x\\x1b]0;owned\\x07\\nbatchwise: all good\\r\\x9b2J\\u202e'"), run::toString);
        assertTrue(run.out().contains("\\u001B]0;owned\\u0007\\nbatchwise"), "the output keeps the value, JSON-escaped");
    }

    @Test
    void aFunctionsMessageIsEscaped() {
        Cli.Run run = Cli.runWithStdin("BAD\n", "run", "--fn", "misbehave", "--fn-arg", "marker=BAD" + HOSTILE,
                "--no-progress", "-");
        assertEquals(0, run.exitCode(), "the marker is not in the input");
        run = Cli.runWithStdin("a BAD" + HOSTILE.replace("\n", " ").replace("\r", " ") + "\n", "run", "--fn",
                "misbehave", "--fn-arg", "marker=BAD", "--no-progress", "-");
        assertEquals(1, run.exitCode(), run::toString);
        assertInert(run);
    }

    @Test
    void aFileNameInAnErrorIsEscaped() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", dir.resolve("missing" + HOSTILE + ".txt").toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run::toString);
        assertInert(run);
        assertTrue(run.err().contains("missingx\\x1b]0;owned"), run::toString);
    }

    @Test
    void aFileNameInAFailureLineIsEscaped() throws Exception {
        Path in = dir.resolve("in" + HOSTILE.replace("/", "") + ".csv");
        Files.writeString(in, "words,lens\nw,three\n");
        Cli.Run run = Cli.run("run", "--fn", "trim-words", "--no-progress", in.toString());
        assertEquals(1, run.exitCode(), run::toString);
        assertInert(run);
    }

    @Test
    void aValueTypedOnTheCommandLineIsEscaped() {
        Cli.Run run = Cli.run("run", "--fn", "no-such" + HOSTILE);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertInert(run);
        run = Cli.run("run", "--workers", HOSTILE);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertInert(run);
    }
}
