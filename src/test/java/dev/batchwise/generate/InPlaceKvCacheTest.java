package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.nio.FloatBuffer;
import dev.batchwise.testing.Decoders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-place cache keeps every row's tokens where the model reads them when it grows and when rows move. */
class InPlaceKvCacheTest {

    /**
     * ONNX Runtime's one environment, made as the engine makes it (through DJL, with its thread pool), so
     * that the tests after this one still open models.
     */
    private static OrtEnvironment env;

    @BeforeAll
    static void environment() throws Exception {
        try (DecoderModel model = Decoders.open(Decoders.GPT2)) {
            env = model.env();
        }
    }
    private static final int LAYERS = 2;
    private static final int HEADS = 2;
    private static final int DIM = 3;

    /** Writes a distinct value at every float of row {@code row}'s first {@code tokens} positions, through the model's view. */
    private static void fill(InPlaceKvCache cache, int row, int tokens, float base) throws Exception {
        OnnxTensor[] views = cache.rows(row, 1);
        for (int t = 0; t < views.length; t++) {
            FloatBuffer b = (FloatBuffer) views[t].getBufferRef().orElseThrow();
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < tokens; p++) {
                    for (int d = 0; d < DIM; d++) {
                        b.put((h * cache.positions() + p) * DIM + d, value(base, t, h, p, d));
                    }
                }
            }
            views[t].close();
        }
    }

    private static float value(float base, int t, int h, int p, int d) {
        return base + 1000 * t + 100 * h + 10 * p + d;
    }

    private static void check(InPlaceKvCache cache, int row, int tokens, float base) throws Exception {
        OnnxTensor[] views = cache.rows(row, 1);
        for (int t = 0; t < views.length; t++) {
            assertEquals(java.util.List.of(1L, (long) HEADS, (long) cache.positions(), (long) DIM),
                    java.util.Arrays.stream(views[t].getInfo().getShape()).boxed().toList());
            FloatBuffer b = (FloatBuffer) views[t].getBufferRef().orElseThrow();
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < tokens; p++) {
                    for (int d = 0; d < DIM; d++) {
                        assertEquals(value(base, t, h, p, d), b.get((h * cache.positions() + p) * DIM + d),
                                "row " + row + " tensor " + t + " head " + h + " position " + p);
                    }
                }
            }
            views[t].close();
        }
    }

    @Test
    void growingKeepsEachRowsTokensAtTheirPositions() throws Exception {
        InPlaceKvCache cache = new InPlaceKvCache(env, LAYERS, HEADS, DIM, 100);
        cache.ensure(2, 4, new int[0]);
        fill(cache, 0, 4, 1);
        fill(cache, 1, 2, 50_000);
        cache.ensure(3, 5, new int[] {4, 2}); // more rows and more positions: half again, at least 5
        assertEquals(6, cache.positions());
        check(cache, 0, 4, 1);
        check(cache, 1, 2, 50_000);
        assertEquals((long) Float.BYTES * 2 * LAYERS * HEADS * (4 + 2) * DIM, cache.lastCopiedBytes());
        assertEquals(2L * LAYERS * 3 * HEADS * 6 * DIM * Float.BYTES, cache.capacityBytes());
        cache.ensure(3, 6, new int[] {4, 2}); // room already: nothing copied, and the profile is told so
        assertEquals(0, cache.lastCopiedBytes());
    }

    @Test
    void positionsStopAtTheModelsLastAndAMovedRowIsWhole() throws Exception {
        InPlaceKvCache cache = new InPlaceKvCache(env, LAYERS, HEADS, DIM, 7);
        cache.ensure(3, 6, new int[0]);
        cache.ensure(3, 7, new int[0]);
        assertEquals(7, cache.positions(), "half again would pass the model's 7 positions");
        fill(cache, 2, 5, 9_000);
        cache.move(2, 0, 5);
        check(cache, 0, 5, 9_000);
    }

    @Test
    void aTensorPastTwoGibibytesIsRefusedWithWhatToDo() {
        InPlaceKvCache cache = new InPlaceKvCache(env, 1, 64, 128, 1 << 20);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.ensure(64, 1 << 16, new int[0]));
        assertEquals(true, e.getMessage().contains("lower the max batch size"), e.getMessage());
    }
}
