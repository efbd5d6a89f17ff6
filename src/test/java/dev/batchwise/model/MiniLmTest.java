package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.testing.Models;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled all-MiniLM-L6-v2 through the model function directly. */
class MiniLmTest {

    static TextModel minilm;
    static BatchFunction function;

    @BeforeAll
    static void load() throws Exception {
        minilm = Models.minilm(Task.EMBED);
        function = minilm.create();
    }

    @AfterAll
    static void close() throws Exception {
        function.close();
        minilm.close();
    }

    private static List<float[]> embed(Object... texts) throws Exception {
        List<float[]> out = new ArrayList<>();
        for (Object v : function.apply(List.of(List.of(texts))).get(0)) {
            out.add((float[]) v);
        }
        return out;
    }

    @Test
    void helloWorldMatchesTheReferenceVector() throws Exception {
        float[] v = embed("hello world").get(0);
        assertEquals(384, v.length);
        assertArrayEquals(new float[] {-0.0345f, 0.0310f, 0.0067f, 0.0261f, -0.0394f}, java.util.Arrays.copyOf(v, 5),
                1e-4f);
    }

    @Test
    void embeddingsHaveUnitLength() throws Exception {
        for (float[] v : embed("A man is playing a guitar.", "x", "")) {
            double sum = 0;
            for (float f : v) {
                sum += f * f;
            }
            assertEquals(1.0, Math.sqrt(sum), 1e-5);
        }
    }

    @Test
    void aSentencesEmbeddingDoesNotDependOnALongerBatchMate() throws Exception {
        String shortOne = "A cat sits on the mat.";
        String longOne = "The committee, after months of deliberation over budgets, timelines, staffing and the "
                + "many competing priorities raised by every department, finally approved the plan to renovate the "
                + "old library, add a reading garden, and extend opening hours through the winter.";
        float[] alone = embed(shortOne).get(0);
        List<float[]> together = embed(longOne, shortOne);
        float maxDiff = 0;
        for (int i = 0; i < alone.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(alone[i] - together.get(1)[i]));
        }
        assertTrue(maxDiff <= 1e-5f, "max difference " + maxDiff);
    }

    @Test
    void preparedAndRawTextGiveTheSameEmbedding() throws Exception {
        Object[] args = {"Sentence embeddings map text to vectors."};
        int tokens = minilm.prepare(args);
        assertEquals(12, tokens); // [CLS] sentence em ##bed ##ding ##s map text to vectors . [SEP]
        assertArrayEquals(embed("Sentence embeddings map text to vectors.").get(0), embed(args[0]).get(0));
    }

    @Test
    void recordsOverTheMaxLengthAreTruncatedAndCounted() throws Exception {
        String longText = "word ".repeat(400);
        Object[] args = {longText};
        assertEquals(BundledModel.MINILM_MAX_LENGTH, minilm.prepare(args));
        int[] truncated = {0};
        long[] tokens = new long[2];
        CallMetrics metrics = new CallMetrics() {
            @Override
            public void phase(String name, long nanos) {}

            @Override
            public void tokens(long real, long padded) {
                tokens[0] += real;
                tokens[1] += padded;
            }

            @Override
            public void truncated(int records) {
                truncated[0] += records;
            }
        };
        Object[] shortArgs = {"short"};
        minilm.prepare(shortArgs);
        function.apply(List.of(List.of(args[0], shortArgs[0])), metrics);
        assertEquals(1, truncated[0]);
        assertEquals(256 + 3, tokens[0]);
        assertEquals(2 * 256, tokens[1]);
    }
}
