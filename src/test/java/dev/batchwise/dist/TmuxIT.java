package dev.batchwise.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress line on a real terminal: the checkout's scripts/batchwise in a tmux pane of 90
 * columns, its screen read with capture-pane while the run goes. Needs tmux (.ci/run installs it).
 */
class TmuxIT {

    private static final Pattern DRAWN = Pattern.compile("\\d+ records?\\s+\\d+%\\s+\\S+/s\\s+\\d+:\\d\\d elapsed");

    @TempDir
    Path dir;

    /** Skips, saying why, where tmux is missing; in CI, where .ci/run installs it, that is a failure. */
    @BeforeAll
    static void findTmux() {
        boolean found = false;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            found |= !d.isEmpty() && Files.isExecutable(Path.of(d, "tmux"));
        }
        if (found) {
            return;
        }
        String why = System.getenv("BATCHWISE_TEST_PACKAGES_UNAVAILABLE");
        if (why != null) {
            Assumptions.abort("tmux could not be installed: " + why);
        }
        if (System.getenv("CI") != null) {
            fail("tmux is not installed, though .ci/run installs it (apt-get install -y tmux)");
        }
        Assumptions.abort("tmux is not installed here (apt-get install tmux, or run .ci/run)");
    }

    private static String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", "batchwise-it"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "tmux " + args[0]);
        assertEquals(0, p.exitValue(), () -> "tmux " + String.join(" ", args) + ": " + out);
        return out;
    }

    @Test
    void aRealRunDrawsItsProgressLineWithinTheWidthAndLeavesTheScreenClean() throws Exception {
        Path out = dir.resolve("out.jsonl");
        String command = "cd " + Path.of("").toAbsolutePath() + " && COLUMNS=90 BATCHWISE_CDS=off scripts/batchwise run"
                + " --fn echo --fn-arg delay=400ms -b 1 -o " + out + " samples/sentences.txt; echo exit=$?; sleep 60";
        tmux("new-session", "-d", "-s", "progress", "-x", "90", "-y", "24", command);
        try {
            String drawn = null;
            String screen = "";
            // The screen of another process is read by polling it: every 50 ms, for at most two minutes
            // (the run takes about 5 s: 12 records x 400 ms, after the JVM starts). Nothing is timed.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!screen.contains("exit=") && System.nanoTime() < deadline) {
                screen = tmux("capture-pane", "-p", "-t", "progress");
                if (drawn == null && DRAWN.matcher(screen).find()) {
                    drawn = screen.lines().filter(l -> DRAWN.matcher(l).find()).findFirst().orElseThrow();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            assertTrue(drawn != null, "no progress line was drawn; last screen:\n" + screen);
            assertTrue(drawn.strip().length() < 90, drawn);
            assertTrue(screen.contains("exit=0"), screen);
            assertTrue(screen.contains("12 records, 0 failed"), screen);
            // erased at the end: no progress line is left above the stats table
            String finalScreen = screen;
            assertTrue(finalScreen.lines().noneMatch(l -> DRAWN.matcher(l).find()), finalScreen);
            assertEquals(12, Files.readAllLines(out).size());
        } finally {
            tmux("kill-server");
        }
    }
}
