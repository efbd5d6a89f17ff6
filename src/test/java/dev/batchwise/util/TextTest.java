package dev.batchwise.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void firstCodePointsNeverCutsASurrogatePair() {
        String s = "\uD83D\uDE00b\uD83D\uDE01";
        assertEquals("", Text.firstCodePoints(s, 0));
        assertEquals("\uD83D\uDE00", Text.firstCodePoints(s, 1));
        assertEquals("\uD83D\uDE00b", Text.firstCodePoints(s, 2));
        assertEquals(s, Text.firstCodePoints(s, 3));
        assertEquals(s, Text.firstCodePoints(s, Long.MAX_VALUE));
        assertEquals("", Text.firstCodePoints(s, -5));
    }

    @Test
    void printableEscapesWhatCouldSteerATerminal() {
        assertEquals("plain text, é and \uD83D\uDE00", Text.printable("plain text, é and \uD83D\uDE00"));
        assertEquals("a\\x1b]0;title\\x07b", Text.printable("a\u001b]0;title\u0007b"));
        assertEquals("x\\nbatchwise: forged\\r", Text.printable("x\nbatchwise: forged\r"));
        assertEquals("\\x9b31m \\x7f \\t", Text.printable("\u009b31m \u007f \t"));
        assertEquals("\\u202eabc \\u2028 \\u2066", Text.printable("\u202eabc \u2028 \u2066"));
        assertEquals("lone \\ud83d and \\ude00", Text.printable("lone \uD83D and \uDE00"));
        assertEquals("back\\slash", Text.printable("back\\slash"));
    }
}
