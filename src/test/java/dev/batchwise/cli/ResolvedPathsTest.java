package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.util.FilePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Written paths are compared as the file system resolves them: a {@code ..} after a symbolic link is
 * taken from the link's target, and a dangling link names where it points. Every pair of written paths
 * and every input is checked so, before anything is created.
 */
class ResolvedPathsTest {

    @TempDir
    Path dir;

    private Path in;

    /** {@code real/sub} is a directory, {@code link} points to it: {@code link/..} is {@code real}. */
    @BeforeEach
    void layout() throws Exception {
        Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("real/sub"));
        in = Files.writeString(dir.resolve("real/in.txt"), "a\nb\n");
    }

    @Test
    void theFileSystemsResolutionNotTheLexicalOne() {
        assertEquals(dir.resolve("real/out.jsonl"), FilePaths.resolved(dir.resolve("link/../out.jsonl")));
        assertEquals(dir.resolve("real/x/y"), FilePaths.resolved(dir.resolve("link/../x/./y")));
        assertEquals(dir.resolve("out.jsonl"), FilePaths.resolved(dir.resolve("nowhere/../out.jsonl")));
    }

    private void refused(String... args) {
        Cli.Run run = Cli.run(args);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("name the same file") || run.err().contains("writing it would destroy it"),
                run::toString);
        assertEquals(List.of("in.txt", "sub"), listing(dir.resolve("real")), "nothing was created");
    }

    private static List<String> listing(Path d) {
        try (var files = Files.list(d)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void statsThroughDotDotAfterALinkIsTheOutput() {
        refused("run", "--fn", "echo", "-q", "-o", dir.resolve("real/out.jsonl").toString(), "--stats-json",
                dir.resolve("link/../out.jsonl").toString(), in.toString());
    }

    @Test
    void errorsThroughDotDotAfterALinkIsTheOutputOrTheStats() {
        refused("run", "--fn", "echo", "-q", "-o", dir.resolve("link/../out.jsonl").toString(), "--errors",
                dir.resolve("real/out.jsonl").toString(), in.toString());
        refused("run", "--fn", "echo", "-q", "--errors", dir.resolve("link/../e.jsonl").toString(), "--stats-json",
                dir.resolve("real/e.jsonl").toString(), in.toString());
    }

    @Test
    void anOutputThroughDotDotAfterALinkThatIsTheInputIsRefused() {
        refused("run", "--fn", "echo", "-q", "-o", dir.resolve("link/../in.txt").toString(), in.toString());
        refused("run", "--fn", "echo", "-q", "--stats-json", dir.resolve("link/../in.txt").toString(), in.toString());
    }

    @Test
    void aDanglingLinkNamesWhereItPoints() throws Exception {
        Path dangling = Files.createSymbolicLink(dir.resolve("real/sub/dangling"), dir.resolve("real/out.jsonl"));
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", dir.resolve("real/out.jsonl").toString(),
                "--stats-json", dangling.toString(), in.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
    }

    @Test
    void distinctPathsThroughLinksStillRun() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", dir.resolve("link/../out.jsonl").toString(),
                "--stats-json", dir.resolve("link/stats.json").toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(2, Files.readAllLines(dir.resolve("real/out.jsonl")).size());
        assertTrue(Files.exists(dir.resolve("real/sub/stats.json")));
    }

    @Test
    void filesWrittenByRenameHaveThePermissionsOfAnyNewFile() throws Exception {
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", dir.resolve("out.jsonl").toString(), "--stats-json",
                dir.resolve("stats.json").toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        Path plain = Files.writeString(dir.resolve("plain.txt"), "as the umask makes it");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(dir.resolve("out.jsonl")));
        assertEquals(expected, Files.getPosixFilePermissions(dir.resolve("stats.json")));
    }
}
