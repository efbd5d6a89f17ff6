package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Forked;
import dev.batchwise.testing.Models;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache checks what it extracted by content, heals what was damaged, and follows no link. */
class ModelCacheTest {

    /** A resource inside a jar (picocli's), whose entry carries a CRC. */
    private static final String IN_A_JAR = "picocli/CommandLine.class";
    /** A resource in a directory of the class path, outside any jar. */
    private static final String IN_A_DIRECTORY = "models/tiny-classifier/config.json";

    @TempDir
    Path dir;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = ModelCache.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aSameSizeCorruptionIsExtractedAgain() throws Exception {
        ModelCache cache = new ModelCache(dir);
        for (String resource : List.of(IN_A_JAR, IN_A_DIRECTORY)) {
            Path file = cache.extract(resource, "x/" + Path.of(resource).getFileName());
            byte[] good = resource(resource);
            assertArrayEquals(good, Files.readAllBytes(file));
            byte[] damaged = good.clone();
            damaged[damaged.length / 2] ^= 0x5a;
            Files.write(file, damaged);
            assertEquals(file, cache.extract(resource, "x/" + Path.of(resource).getFileName()));
            assertArrayEquals(good, Files.readAllBytes(file), resource + " was not repaired");
        }
    }

    @Test
    void aPlantedLinkIsReplacedNeverFollowed() throws Exception {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "the user's own file");
        Files.createDirectories(dir.resolve("cache/x"));
        Path link = dir.resolve("cache/x/CommandLine.class");
        Files.createSymbolicLink(link, victim);
        Path file = new ModelCache(dir.resolve("cache")).extract(IN_A_JAR, "x/CommandLine.class");
        assertEquals("the user's own file", Files.readString(victim));
        assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(resource(IN_A_JAR), Files.readAllBytes(file));
    }

    /**
     * A temporary file that no live process holds (its extraction was killed) is removed by the next
     * extraction into its directory, however young it is and even when that extraction finds its own
     * file whole; one another process is writing (it holds the file's lock) is left alone until that
     * process dies.
     */
    @Test
    void temporaryFilesOfKilledExtractionsAreRemovedByTheNextRun() throws Exception {
        ModelCache cache = new ModelCache(dir);
        cache.extract(IN_A_JAR, "x/CommandLine.class"); // whole and in place: the next call extracts nothing
        Path abandoned = dir.resolve("x/.CommandLine.class123456.partial");
        Path otherAbandoned = dir.resolve("x/.tokenizer.json555.partial");
        Path live = dir.resolve("x/.CommandLine.class987654.partial");
        Path other = dir.resolve("x/notes.partial");
        for (Path p : List.of(abandoned, otherAbandoned, live, other)) {
            Files.writeString(p, "left over");
        }
        Process holder = Forked.java(List.of(), "dev.batchwise.testing.HoldsLock", live.toString()).start();
        try {
            assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
                    .readLine());
            cache.extract(IN_A_JAR, "x/CommandLine.class");
            assertFalse(Files.exists(abandoned), "a killed extraction's file is removed");
            assertFalse(Files.exists(otherAbandoned), "whichever file it was for");
            assertTrue(Files.exists(live), "another run's extraction under way is left alone");
            assertTrue(Files.exists(other), "files that are not the cache's temporaries are left alone");
        } finally {
            holder.destroyForcibly().waitFor(); // as kill -9 ends a run
        }
        cache.extract(IN_A_JAR, "x/CommandLine.class");
        assertFalse(Files.exists(live), "once its process is dead, its file is abandoned and removed");
        try (var files = Files.list(dir.resolve("x"))) {
            assertEquals(List.of("CommandLine.class", "notes.partial"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * A native library that will not load (here the user's own RUST_LIBRARY_PATH, which the cache
     * leaves alone, naming a file that is not a library) is one line and exit 5, not a JVM crash or
     * a stack trace. In a JVM of its own: a library loads once per process.
     */
    @Test
    void aNativeLibraryThatWillNotLoadIsOneLineAndExit5() throws Exception {
        Path lib = dir.resolve("libtokenizers.so");
        Files.writeString(lib, "not a shared library");
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "hello\n");
        ProcessBuilder b = Forked.batchwise(List.of(), "run", "--cache-dir", Models.CACHE_DIR.toString(),
                in.toString());
        b.environment().put("RUST_LIBRARY_PATH", lib.toString());
        Process p = b.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(5, p.exitValue(), err);
        assertEquals("", out);
        // the JVM may warn about the file first (its own text, on standard error); batchwise says one line
        List<String> ours = err.lines().filter(l -> l.startsWith("batchwise")).toList();
        assertEquals(1, ours.size(), err);
        assertTrue(ours.get(0).startsWith("batchwise: cannot load the native tokenizer library ("), err);
        assertTrue(ours.get(0).endsWith("it is the one RUST_LIBRARY_PATH names"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    /** A damaged tokenizer library in the cache (same size) is extracted again, and the run works. */
    @Test
    void aDamagedNativeLibraryInTheCacheIsRepaired() throws Exception {
        Path cacheDir = dir.resolve("cache");
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "hello\n");
        // the model files come from the shared test cache, so only the library is extracted here
        Path models = cacheDir.resolve("models");
        Files.createDirectories(models);
        copyTree(Models.CACHE_DIR.resolve("models"), models);
        Process first = run(cacheDir, in);
        assertEquals(0, first.exitValue(), new String(first.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        Path lib;
        try (var found = Files.walk(cacheDir.resolve("tokenizers"))) {
            lib = found.filter(f -> f.getFileName().toString().equals("libtokenizers.so")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(lib);
        java.util.Arrays.fill(bytes, 0, 4096, (byte) 0xcc); // the ELF header and more: same size
        Files.write(lib, bytes);
        Process second = run(cacheDir, in);
        String err = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, second.exitValue(), err);
        assertEquals(0x7f, Files.readAllBytes(lib)[0], "the library was extracted again");
    }

    private static Process run(Path cacheDir, Path in) throws Exception {
        ProcessBuilder b = Forked.batchwise(List.of(), "run", "-q", "--cache-dir", cacheDir.toString(), in.toString());
        Map<String, String> env = b.environment();
        env.remove("RUST_LIBRARY_PATH");
        Process p = b.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return p;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        if (!Files.isDirectory(from)) {
            return; // the shared cache is empty: the run extracts the model itself
        }
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else if (!f.getFileName().toString().endsWith(".partial")) {
                    Files.copy(f, t);
                }
            }
        }
    }
}
