package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.model.GroupQueryAttentionRewrite;
import dev.batchwise.testing.Decoders;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which decoders run with their attention rewritten to read the cache in place, and that a decoder
 * runs the same either way: every reference prompt's greedy tokens equal PyTorch's with the rewrite
 * and without it (ReferenceTokensTest covers the batchings).
 */
class InPlaceAttentionTest {

    @Test
    void gpt2AndLlamaRunInPlaceWithLogitsAtOnePositionQwenWithHeadsOfFourAsExported() throws Exception {
        try (DecoderModel gpt2 = Decoders.open(Decoders.GPT2); DecoderModel llama = Decoders.open(Decoders.LLAMA);
                DecoderModel qwen = Decoders.open(Decoders.QWEN3)) {
            assertTrue(gpt2.inPlaceAttention(), () -> gpt2.exportedAttentionReason());
            assertTrue(llama.inPlaceAttention(), () -> llama.exportedAttentionReason());
            assertTrue(gpt2.onePositionLogits(), "its head flattens the rows: Reshape, Gemm, Reshape");
            assertTrue(llama.onePositionLogits(), "its head is one MatMul over [batch, tokens, hidden]");
            assertFalse(qwen.inPlaceAttention());
            assertTrue(qwen.exportedAttentionReason().contains("4 wide"), qwen.exportedAttentionReason());
        }
    }

    @Test
    void theRewriteReplacesEveryLayersAttentionAndTheMask() throws Exception {
        byte[] model = Files.readAllBytes(Decoders.dir(Decoders.LLAMA).resolve("model.onnx"));
        GroupQueryAttentionRewrite.Result r = GroupQueryAttentionRewrite.rewrite(model, 2, 4, 2, 507);
        assertNull(r.refusal());
        assertTrue(r.onePositionLogits(), "the logits are made at one position per row");
        String text = new String(r.model(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals(2, count(text, "GroupQueryAttention"), "one fused attention per layer");
        assertFalse(text.contains("attention_mask"), "the mask is no longer an input");
        assertFalse(text.contains("Softmax"), "no attention is left as exported");
    }

    @Test
    void aModelWithOtherLayerCountsIsRefusedWithTheReason() throws Exception {
        byte[] model = Files.readAllBytes(Decoders.dir(Decoders.LLAMA).resolve("model.onnx"));
        GroupQueryAttentionRewrite.Result r = GroupQueryAttentionRewrite.rewrite(model, 3, 4, 2, 507);
        assertNull(r.model());
        assertTrue(r.refusal().contains("present.2.key"), r.refusal());
        GroupQueryAttentionRewrite.Result junk = GroupQueryAttentionRewrite.rewrite(new byte[] {1, 2, 3}, 2, 4, 2, 507);
        assertNotNull(junk.refusal());
    }

    @Test
    void theSameTokensAsExportedAndAsPyTorch() throws Exception {
        List<int[]> exported = greedy(true);
        List<int[]> inPlace = greedy(false);
        List<Decoders.Case> cases = Decoders.references(Decoders.LLAMA);
        for (int i = 0; i < cases.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(cases.get(i).tokens(), exported.get(i));
            org.junit.jupiter.api.Assertions.assertArrayEquals(cases.get(i).tokens(), inPlace.get(i));
        }
    }

    /** Every reference prompt of tiny-llama, 8 at a time in one engine. */
    private static List<int[]> greedy(boolean asExported) throws Exception {
        String before = System.getProperty(InPlaceAttention.PROPERTY);
        if (asExported) {
            System.setProperty(InPlaceAttention.PROPERTY, "exported");
        }
        try (DecoderModel model = Decoders.open(Decoders.LLAMA)) {
            assertEquals(!asExported, model.inPlaceAttention());
            List<Decoders.Case> cases = Decoders.references(Decoders.LLAMA);
            int[][] out = new int[cases.size()][];
            DecoderEngine engine = new DecoderEngine(model, 64 << 20);
            int next = 0;
            while (next < cases.size() || engine.running() > 0) {
                while (next < cases.size() && engine.running() < 8) {
                    Decoders.Case c = cases.get(next);
                    engine.add(next++, GenerationRequest.text(c.prompt(),
                            SamplingParams.GREEDY.withMaxTokens(c.maxTokens()), 7).withTokenIds(true));
                }
                engine.step();
                for (DecoderEngine.Finished f : engine.drain()) {
                    assertNull(f.failure());
                    out[(Integer) f.key()] = f.result().tokenIds();
                }
            }
            return new ArrayList<>(List.of(out));
        } finally {
            if (before == null) {
                System.clearProperty(InPlaceAttention.PROPERTY);
            } else {
                System.setProperty(InPlaceAttention.PROPERTY, before);
            }
        }
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }
}
