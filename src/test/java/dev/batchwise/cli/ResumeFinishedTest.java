package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --resume on an output a run already finished says so and runs nothing. */
class ResumeFinishedTest {

    @TempDir
    Path dir;

    @Test
    void aFinishedOutputIsLeftAsItIs() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Run first = Cli.run("run", "-q", "--fn", "echo", "-o", out.toString(), in.toString());
        assertEquals(0, first.exitCode(), first::toString);
        String finished = Files.readString(out);
        Path stats = dir.resolve("stats.json");

        Cli.Run again = Cli.run("run", "--resume", "--fn", "echo", "--stats-json", stats.toString(), "-o",
                out.toString(), in.toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("batchwise: " + out + " is complete: the run that wrote it finished, so there is nothing to "
                + "resume (run without --resume to run it again)\n", again.err());
        assertEquals(finished, Files.readString(out));
        assertTrue(!Files.exists(stats), "nothing ran, so no stats");
        assertTrue(!Files.exists(Path.of(out + ".partial")));
    }
}
