package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.batchwise.testing.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run promises about each kind of path it writes: a regular file through a partial file and a
 * rename; a device or FIFO in place; no path that aliases an input or another written path; no planted
 * link followed. System files are only ever written as targets ({@code /dev/null}, {@code /dev/full}).
 */
class OutputPathsTest {

    @TempDir
    Path dir;

    private Set<String> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("in.txt"), "a\nb\n");
    }

    @Test
    void devNullIsWrittenInPlaceWithNothingBesideIt() throws Exception {
        Path in = input();
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", "/dev/null", in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.exists(Path.of("/dev/null.partial.meta")));

        Path link = Files.createSymbolicLink(dir.resolve("sink"), Path.of("/dev/null"));
        Cli.Run viaLink = Cli.run("run", "--fn", "echo", "-q", "-o", link.toString(), in.toString());
        assertEquals(0, viaLink.exitCode(), viaLink::toString);
        assertTrue(Files.isSymbolicLink(link), "the link is not replaced");
        assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(link));
        assertEquals(Set.of("in.txt", "sink"), listing(), "no partial, meta or lock file");
    }

    @Test
    void resumeIsRefusedForAFileWrittenInPlace() throws Exception {
        Path in = input();
        Path link = Files.createSymbolicLink(dir.resolve("sink"), Path.of("/dev/null"));
        Cli.Run run = Cli.run("run", "--fn", "echo", "--resume", "-o", link.toString(), in.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("is not a regular file") && run.err().contains("written in place"), run.err());
        assertEquals(Set.of("in.txt", "sink"), listing());
    }

    @Test
    void aFifoIsWrittenInPlaceAndStaysAFifo() throws Exception {
        Path in = input();
        Path fifo = dir.resolve("lines");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo is there");
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(Files.readAllBytes(fifo), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", fifo.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", read.get(60, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS), "still a FIFO");
        assertEquals(Set.of("in.txt", "lines"), listing());
    }

    @Test
    void anOutputOrStatsFileThatIsAnInputIsRefusedAndNothingIsWritten() throws Exception {
        Path in = input();
        Path hardLink = Files.createLink(dir.resolve("same.txt"), in);
        Path symLink = Files.createSymbolicLink(dir.resolve("points.txt"), in);
        List<List<String>> aliases = List.of(
                List.of("-o", in.toString()),
                List.of("-o", hardLink.toString()),
                List.of("-o", symLink.toString()),
                List.of("--stats-json", in.toString()),
                List.of("--stats-json", hardLink.toString()),
                List.of("--errors", symLink.toString()));
        Set<String> before = listing();
        for (List<String> alias : aliases) {
            Cli.Run run = Cli.run("run", "--fn", "echo", alias.get(0), alias.get(1), in.toString());
            assertEquals(2, run.exitCode(), () -> alias + ": " + run);
            assertTrue(run.err().contains(alias.get(0) + " " + alias.get(1)) && run.err().contains("would destroy it"),
                    () -> alias + ": " + run.err());
            assertEquals("", run.out(), "nothing ran");
            assertEquals("a\nb\n", Files.readString(in));
            assertEquals(before, listing(), alias::toString);
        }
    }

    @Test
    void anInputNamedAsTheOutputsPartialFileIsRefused() throws Exception {
        Path in = Files.writeString(dir.resolve("out.jsonl.partial"), "a\n");
        Cli.Run run = Cli.run("run", "--fn", "echo", "-o", dir.resolve("out.jsonl").toString(), in.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("-o's partial file"), run.err());
        assertEquals("a\n", Files.readString(in));
        assertEquals(Set.of("out.jsonl.partial"), listing());
    }

    @Test
    void twoWrittenPathsThatAreOneFileAreRefusedNamingBothOptions() throws Exception {
        Path in = input();
        Path out = dir.resolve("out.jsonl");
        Path stats = Files.writeString(dir.resolve("stats.json"), "{}");
        Path statsLink = Files.createSymbolicLink(dir.resolve("stats-link.json"), stats);
        record Case(String message, String... options) {}
        List<Case> cases = List.of(
                new Case("--stats-json and -o name the same file", "-o", out.toString(), "--stats-json", out.toString()),
                new Case("--stats-json and --errors name the same file", "--errors", stats.toString(), "--stats-json",
                        statsLink.toString()),
                new Case("--errors and -o's meta file name the same file", "-o", out.toString(), "--errors",
                        out + ".partial.meta"),
                new Case("--stats-json and -o's partial file name the same file", "-o", out.toString(),
                        "--stats-json", dir.resolve(".").resolve("out.jsonl.partial").toString()));
        Set<String> before = listing();
        for (Case c : cases) {
            String[] args = Stream.of(List.of("run", "--fn", "echo"), List.of(c.options()), List.of(in.toString()))
                    .flatMap(List::stream).toArray(String[]::new);
            Cli.Run run = Cli.run(args);
            assertEquals(2, run.exitCode(), () -> c.message() + ": " + run);
            assertTrue(run.err().contains(c.message()), () -> c.message() + ": " + run.err());
            assertEquals(before, listing(), c::message);
            assertEquals("{}", Files.readString(stats));
        }
    }

    @Test
    void statsJsonThatCannotBeWrittenFailsBeforeTheRun() throws Exception {
        Path in = input();
        Path missing = dir.resolve("no-such-dir").resolve("stats.json");
        Cli.Run run = Cli.run("run", "--fn", "echo", "--stats-json", missing.toString(), in.toString());
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot write --stats-json " + missing), run.err());
        assertEquals("", run.out(), "no record ran");
    }

    @Test
    void plantedLinksAtThePartialMetaAndStatsNamesAreNeverFollowed() throws Exception {
        Path in = input();
        Path out = dir.resolve("out.jsonl");
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Path victim2 = Files.writeString(dir.resolve("victim2.txt"), "precious too\n");
        Path victim3 = Files.writeString(dir.resolve("victim3.txt"), "also precious\n");
        Files.createSymbolicLink(dir.resolve("out.jsonl.partial"), victim);
        Files.createSymbolicLink(dir.resolve("out.jsonl.partial.meta"), victim2);
        Path stats = Files.createSymbolicLink(dir.resolve("stats.json"), victim3);

        Cli.Run resumed = Cli.run("run", "--fn", "echo", "--resume", "-o", out.toString(), in.toString());
        assertEquals(2, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("is not a regular file (a symbolic link is never followed)"), resumed.err());

        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", out.toString(), "--stats-json", stats.toString(),
                in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", Files.readString(out));
        assertEquals("precious\n", Files.readString(victim));
        assertEquals("precious too\n", Files.readString(victim2));
        assertEquals("also precious\n", Files.readString(victim3));
        assertFalse(Files.isSymbolicLink(stats), "the link itself is replaced by the report");
        assertTrue(Files.readString(stats).contains("\"exit_code\""));
        assertEquals(Set.of("in.txt", "out.jsonl", "stats.json", "victim.txt", "victim2.txt", "victim3.txt"),
                listing());
    }

    @Test
    void aHardLinkedPartialIsNotResumedAndADirectoryAtItsNameIsLeftAlone() throws Exception {
        Path in = input();
        Path out = dir.resolve("out.jsonl");
        Path victim = Files.writeString(dir.resolve("victim.jsonl"), "{\"id\":1,\"text\":\"x\"}\n");
        Path partial = Files.createLink(dir.resolve("out.jsonl.partial"), victim);
        Cli.Run resumed = Cli.run("run", "--fn", "echo", "--resume", "-o", out.toString(), in.toString());
        assertEquals(2, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("has other hard links"), resumed.err());
        assertEquals("{\"id\":1,\"text\":\"x\"}\n", Files.readString(victim));

        Files.delete(partial);
        Files.createDirectory(partial);
        Cli.Run run = Cli.run("run", "--fn", "echo", "-o", out.toString(), in.toString());
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("is a directory"), run.err());
        assertTrue(Files.isDirectory(partial));
    }

    @Test
    void aPlantedLinkAtTheLockIsRefused() throws Exception {
        Path in = input();
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious\n");
        Files.createSymbolicLink(dir.resolve("out.jsonl.partial.lock"), victim);
        Cli.Run run = Cli.run("run", "--fn", "echo", "-o", dir.resolve("out.jsonl").toString(), in.toString());
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("symbolic link"), run.err());
        assertEquals("precious\n", Files.readString(victim));
        assertFalse(Files.exists(dir.resolve("out.jsonl.partial"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anErrorsFileOnAFullDiskExits4WithAMessage() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full is there");
        Path in = Files.writeString(dir.resolve("in.txt"), "BAD a\nb\n");
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "-q", "-o", dir.resolve("out.jsonl").toString(),
                "--errors", "/dev/full", in.toString());
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot write --errors /dev/full") && run.err().contains("space"), run.err());
    }

    @Test
    void anErrorsFileThatFillsUpMidRunExits4WithAMessage() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/full")), "/dev/full is there");
        Path in = Files.writeString(dir.resolve("in.txt"), "BAD record with some text to fill buffers\n".repeat(20_000));
        Cli.Run run = Cli.run("run", "--fn", "misbehave", "-q", "-o", dir.resolve("out.jsonl").toString(),
                "--errors", "/dev/full", in.toString());
        assertEquals(4, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot write --errors /dev/full") && run.err().contains("space"), run.err());
        assertFalse(Files.exists(dir.resolve("out.jsonl")), "not passed off as finished");
    }
}
