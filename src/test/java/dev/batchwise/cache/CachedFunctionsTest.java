package dev.batchwise.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.result.TextChunk;
import dev.batchwise.testing.CacheCounts;
import dev.batchwise.testing.Embed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache in front of a function: hits are not run, misses are run together and stored. */
class CachedFunctionsTest {

    @TempDir
    Path dir;

    /** A function that counts the records it ran and returns each text's length as a vector. */
    static final class Lengths implements BatchFunctionFactory, RecordPreparer {
        final List<Object> ran = new ArrayList<>();
        int prepared;

        @Override
        public String name() {
            return "lengths";
        }

        @Override
        public Signature signature() {
            return new Signature(List.of(new Param("text", ParamType.TEXT, "text")), List.of("embedding"));
        }

        @Override
        public int prepare(Object[] args) {
            prepared++;
            args[0] = "prepared:" + args[0];
            return 7;
        }

        @Override
        public BatchFunction create() {
            return inputs -> {
                ran.addAll(inputs.get(0));
                List<Object> out = new ArrayList<>();
                for (Object t : inputs.get(0)) {
                    out.add(new float[] {((String) t).length(), 1});
                }
                return List.of(out);
            };
        }
    }

    @Test
    void aSecondRunTakesWhatTheFirstStoredAndRunsOnlyWhatChanged() throws Exception {
        Path file = dir.resolve("c.sqlite");
        List<List<Object>> first = rows("a", "bb", "ccc", "dddd");
        List<List<Object>> second = rows("a", "bb", "CCC!", "dddd", "eeeee");
        Lengths f1 = new Lengths();
        CacheCounts c1 = new CacheCounts();
        try (OutputStore store = OutputStore.open(file)) {
            Embed.run(CachedFunctions.wrap(f1, new byte[] {7}, store), first, 3, c1);
        }
        assertEquals(List.of("prepared:a", "prepared:bb", "prepared:ccc", "prepared:dddd"), f1.ran);
        assertEquals(List.of(0L, 4L), List.of(c1.hits, c1.misses));
        Lengths f2 = new Lengths();
        CacheCounts c2 = new CacheCounts();
        List<Object> out;
        try (OutputStore store = OutputStore.open(file)) {
            out = Embed.run(CachedFunctions.wrap(f2, new byte[] {7}, store), second, 2, c2).get(0);
        }
        assertEquals(List.of("prepared:CCC!", "prepared:eeeee"), f2.ran);
        assertEquals(2, f2.prepared, "a record the cache has is not prepared by the function");
        assertEquals(List.of(3L, 2L), List.of(c2.hits, c2.misses));
        float[][] expected = {{10, 1}, {11, 1}, {13, 1}, {13, 1}, {14, 1}};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], (float[]) out.get(i), "record " + i);
        }
    }

    @Test
    void aHitWeighsOneAndAMissWhatTheFunctionSays() throws Exception {
        try (OutputStore store = OutputStore.open(dir.resolve("c.sqlite"))) {
            CachedFunctions cached = CachedFunctions.wrap(new Lengths(), new byte[] {3}, store);
            Embed.run(cached, rows("a"), 1, CallMetrics.NONE);
            assertEquals(1, cached.prepare(new Object[] {"a"}));
            assertEquals(7, cached.prepare(new Object[] {"b"}));
        }
    }

    @Test
    void anotherIdentityIsAnotherCache() throws Exception {
        Path file = dir.resolve("c.sqlite");
        try (OutputStore store = OutputStore.open(file)) {
            Embed.run(CachedFunctions.wrap(new Lengths(), new byte[] {1}, store), rows("a"), 1, CallMetrics.NONE);
            Lengths other = new Lengths();
            Embed.run(CachedFunctions.wrap(other, new byte[] {2}, store), rows("a"), 1, CallMetrics.NONE);
            assertEquals(1, other.ran.size());
        }
    }

    @Test
    void outputsComeBackAsTheyWent() throws Exception {
        Object[] chunks = {List.of(new TextChunk(0, 0, 3, new float[] {1, 2}), new TextChunk(1, 2, 9, new float[] {3, 4}))};
        assertEquals(List.of(new TextChunk(1, 2, 9, null)).get(0).end(),
                ((TextChunk) ((List<?>) OutputCodec.decode(OutputCodec.encode(chunks))[0]).get(1)).end());
        assertArrayEquals(new float[] {3, 4}, (float[]) ((TextChunk) ((List<?>) OutputCodec.decode(
                OutputCodec.encode(chunks))[0]).get(1)).embedding());
        Object[] labelled = {"positive", 0.75, List.of(Map.of("label", "positive", "score", 0.75))};
        assertEquals(java.util.Arrays.asList(labelled), java.util.Arrays.asList(OutputCodec.decode(OutputCodec.encode(labelled))));
    }

    private static List<List<Object>> rows(String... texts) {
        List<List<Object>> rows = new ArrayList<>();
        for (String t : texts) {
            rows.add(List.of(t));
        }
        return rows;
    }
}
