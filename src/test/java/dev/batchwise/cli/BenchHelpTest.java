package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import org.junit.jupiter.api.Test;

/** bench's help describes its options as they act in a sweep, not as they act in run. */
class BenchHelpTest {

    /** The help text of one option: its line and the indented lines that continue it. */
    static String optionHelp(String help, String option) {
        StringBuilder text = new StringBuilder();
        boolean in = false;
        for (String line : help.lines().toList()) {
            if (line.strip().startsWith("-")) {
                in = line.contains(option + "=") || line.strip().startsWith(option + " ");
            }
            if (in) {
                text.append(line.strip()).append(' ');
            }
        }
        return text.toString();
    }

    @Test
    void theIdOptionDoesNotPromiseOutputLines() {
        Cli.Run bench = Cli.run("bench", "--help");
        assertEquals(0, bench.exitCode(), bench::toString);
        String id = optionHelp(bench.out(), "--id");
        assertTrue(id.contains("bench writes no output lines"), id);
        assertFalse(id.contains("Key each output line"), id);
        String run = optionHelp(Cli.run("run", "--help").out(), "--id");
        assertTrue(run.contains("Key each output line by this column's value"), run);
    }
}
