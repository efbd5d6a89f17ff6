package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.StatsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --cache FILE}: a re-run takes what the store has, runs the rest, and the stats count both. */
class EmbeddingCacheTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Cli.Run run(Path in, Path stats, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("run", "--format", "text", "--stats-json",
                stats.toString()));
        args.addAll(List.of(options));
        args.add(in.toString());
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    private static JsonNode cache(Path stats) throws Exception {
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(List.of(), StatsSchema.errors(s));
        return s.get("cache");
    }

    @Test
    void aRerunTakesTheStoredVectorsAndRunsOnlyWhatChanged() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a red car\nthe sky is blue\nsoup\n");
        Path store = dir.resolve("cache.db");
        Path stats = dir.resolve("stats.json");
        Cli.Run plain = run(in, stats);
        assertTrue(JSON.readTree(stats.toFile()).path("cache").isMissingNode(), "no cache, no cache stats");

        Cli.Run first = run(in, stats, "--cache", store.toString());
        assertEquals("{\"hits\":0,\"misses\":3}", cache(stats).toString());
        assertEquals(plain.out(), first.out());
        assertTrue(first.err().contains("3 records, 0 failed, in "), first::toString);
        assertTrue(first.err().contains("; cache 0 hits, 3 misses\n"), first::toString);
        assertTrue(JSON.readTree(stats.toFile()).get("settings").get("cache").asText().endsWith("cache.db"));

        Cli.Run second = run(in, stats, "--cache", store.toString());
        assertEquals("{\"hits\":3,\"misses\":0}", cache(stats).toString());
        assertEquals(plain.out(), second.out(), "the stored vectors are the computed ones");
        assertTrue(second.err().contains("; cache 3 hits, 0 misses\n"), second::toString);

        Files.writeString(in, "a red car\nthe sky is grey\nsoup\n");
        run(in, stats, "--cache", store.toString());
        assertEquals("{\"hits\":2,\"misses\":1}", cache(stats).toString());

        run(in, stats, "--cache", store.toString(), "--prefix", "query: ");
        assertEquals("{\"hits\":0,\"misses\":3}", cache(stats).toString(), "another prefix is another vector");
        Cli.Run chunked = run(in, stats, "--cache", store.toString(), "--chunk", "0");
        assertEquals("{\"hits\":0,\"misses\":3}", cache(stats).toString(), "chunking is part of the key");
        run(in, stats, "--cache", store.toString(), "--embedding-format", "int8");
        assertEquals("{\"hits\":3,\"misses\":0}", cache(stats).toString(),
                "the store holds the model's vectors; the format is applied after it");
        assertEquals(3, chunked.lines().size());
    }

    @Test
    void aStoreThatCannotBeOpenedStopsTheRunBeforeAnythingIsWritten() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "a\n");
        Path notADatabase = Files.writeString(dir.resolve("notes.db"), "these are my notes, not a database\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.run("run", "-q", "--cache", notADatabase.toString(), "-o", out.toString(), in.toString());
        assertEquals(dev.batchwise.run.ExitCodes.FUNCTION, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot open --cache " + notADatabase + ": [SQLITE_NOTADB]"), run::toString);
        assertEquals("these are my notes, not a database\n", Files.readString(notADatabase));
        assertTrue(!Files.exists(out), run::toString);
    }
}
