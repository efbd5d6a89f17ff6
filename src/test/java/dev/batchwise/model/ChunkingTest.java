package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.fn.CallMetrics;
import dev.batchwise.result.TextChunk;
import dev.batchwise.testing.Embed;
import dev.batchwise.testing.Models;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Long texts in chunks, with all-MiniLM-L6-v2 (256 tokens): a document of over 5,000 tokens gives,
 * piece by piece, the vectors its pieces' texts give as records of their own, whatever shares its
 * model call.
 */
class ChunkingTest {

    static String document;
    static final String SHORT = "A short record shares the batch.";

    /** STS Benchmark sentences, one after another, until the text has over 5,000 tokens (with an emoji, for offsets). */
    @BeforeAll
    static void document() throws Exception {
        StringBuilder text = new StringBuilder("Long text 😀 starts here. ");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ChunkingTest.class.getResourceAsStream("/stsbenchmark/sts-test.csv"), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 520; i++) {
                text.append(r.readLine().split("\t")[5]).append(' ');
            }
        }
        document = text.toString().strip();
    }

    private static TextModel open(Chunking chunking) throws Exception {
        return TextModel.open(ModelFiles.resolve("minilm", Models.cache()), new ModelOptions(Task.EMBED, 0, 1, 2,
                Models.cache()), new EmbedOptions(null, null, null, null, chunking));
    }

    @Test
    void everyChunkIsTheVectorOfItsTextAsARecord() throws Exception {
        List<TextChunk> chunks;
        List<String> pieces = new ArrayList<>();
        try (TextModel m = open(Chunking.of(0, 32, Chunking.Output.EACH))) {
            Chunked c = (Chunked) m.prepared(document, null);
            assertTrue(c.tokens() > 5000, c.tokens() + " tokens");
            List<Object> out = Embed.run(m, List.of(List.of(SHORT), List.of(document), List.of(SHORT)), 3,
                    CallMetrics.NONE).get(0);
            @SuppressWarnings("unchecked")
            List<TextChunk> got = (List<TextChunk>) out.get(1);
            chunks = got;
            assertEquals(1, ((List<?>) out.get(0)).size());
            int codePoints = document.codePointCount(0, document.length());
            assertEquals(0, chunks.get(0).start());
            assertEquals(codePoints, chunks.get(chunks.size() - 1).end());
            for (int i = 0; i < chunks.size(); i++) {
                TextChunk k = chunks.get(i);
                assertEquals(i, k.index());
                if (i > 0) {
                    assertTrue(k.start() < chunks.get(i - 1).end(), "chunk " + i + " overlaps the one before");
                    assertTrue(k.start() > chunks.get(i - 1).start());
                }
                pieces.add(document.substring(document.offsetByCodePoints(0, k.start()),
                        document.offsetByCodePoints(0, k.end())));
                assertTrue(c.pieces().get(i).length() <= 256);
            }
            assertTrue(chunks.size() >= 20, chunks.size() + " chunks");
        }
        try (TextModel plain = open(Chunking.OFF)) {
            List<Object> alone = Embed.first(plain, pieces, 8);
            for (int i = 0; i < pieces.size(); i++) {
                Tokenized t = (Tokenized) plain.prepared(pieces.get(i), null);
                assertTrue(!t.truncated(), "chunk " + i + " fits as a record");
                assertClose((float[]) alone.get(i), (float[]) chunks.get(i).embedding(), "chunk " + i);
            }
        }
    }

    @Test
    void theMeanOutputIsTheNormalisedMeanOfTheChunks() throws Exception {
        List<Object> each;
        List<Object> mean;
        try (TextModel m = open(Chunking.of(100, 10, Chunking.Output.EACH))) {
            each = Embed.first(m, List.of(document.substring(0, 3000), SHORT), 2);
        }
        try (TextModel m = open(Chunking.of(100, 10, Chunking.Output.MEAN))) {
            assertEquals(List.of("embedding"), m.signature().outputs());
            mean = Embed.first(m, List.of(document.substring(0, 3000), SHORT), 2);
        }
        List<float[]> vectors = new ArrayList<>();
        for (Object o : (List<?>) each.get(0)) {
            vectors.add((float[]) ((TextChunk) o).embedding());
        }
        assertTrue(vectors.size() > 3);
        assertClose(Pooler.mean(vectors, true), (float[]) mean.get(0), "mean");
        assertClose((float[]) ((TextChunk) ((List<?>) each.get(1)).get(0)).embedding(), (float[]) mean.get(1), "short");
    }

    @Test
    void chunksThatDoNotFitTheModelAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(Chunking.of(300, 0, Chunking.Output.MEAN)).close());
        assertEquals("chunks of 300 tokens do not fit the model's max length of 256 tokens with 2 special tokens and "
                + "the prefix's 0; at most 254", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Chunking.of(50, 50, Chunking.Output.MEAN));
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int d = 0; d < expected.length; d++) {
            assertEquals(expected[d], actual[d], 2e-5, what + ", dimension " + d);
        }
    }
}
