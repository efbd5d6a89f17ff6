package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Decoders;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Text decoded token by token: characters split across tokens come out whole, stop strings are found
 * across tokens and cut off.
 */
class IncrementalTextTest {

    /** A byte-level tokenizer's decoder: token i is byte i, decoded as UTF-8 with U+FFFD for broken bytes. */
    private static final Function<long[], String> BYTES = ids -> {
        byte[] b = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            b[i] = (byte) ids[i];
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError(e);
        }
    };

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }

    @Test
    void aCharacterSplitAcrossTokensComesOutOnlyWhenWhole() {
        IncrementalText t = new IncrementalText(BYTES, bytes("Say: "), List.of());
        List<String> seen = new ArrayList<>();
        for (int b : bytes("é🎉x")) {
            t.add(b);
            seen.add(t.text());
        }
        t.finish();
        // é is 2 bytes, 🎉 4: nothing half-made is ever emitted
        assertEquals(List.of("", "é", "é", "é", "é", "é🎉", "é🎉x"), seen);
        assertEquals("é🎉x", t.text());
    }

    @Test
    void brokenBytesAtTheEndAreDecodedAsTheyAre() {
        IncrementalText t = new IncrementalText(BYTES, bytes("a"), List.of());
        t.add('o');
        t.add(0xF0);
        t.add(0x9F);
        assertEquals("o", t.text());
        t.finish();
        assertEquals(BYTES.apply(new long[] {'o', 0xF0, 0x9F}), t.text());
    }

    @Test
    void aStopStringAcrossTokensEndsTheTextBeforeIt() {
        IncrementalText t = new IncrementalText(BYTES, bytes("Q"), List.of("STOP", "日本"));
        boolean stopped = false;
        for (int b : bytes("abc ST")) {
            stopped |= t.add(b);
        }
        assertFalse(stopped);
        assertTrue(t.add('O') | t.add('P'));
        assertEquals("abc ", t.text());

        IncrementalText cjk = new IncrementalText(BYTES, bytes("Q"), List.of("STOP", "日本"));
        boolean cut = false;
        for (int b : bytes("東京日本語")) {
            cut = cjk.add(b);
            if (cut) {
                break;
            }
        }
        assertTrue(cut);
        assertEquals("東京", cjk.text());
    }

    @Test
    void aStopStringEndsARealGenerationWithItsTextCut() throws Exception {
        try (DecoderModel model = Decoders.open(Decoders.QWEN3)) {
            Decoders.Case c = Decoders.references(Decoders.QWEN3).stream()
                    .filter(r -> r.tokens().length >= 8).findFirst().orElseThrow();
            long[] all = new long[c.tokens().length];
            for (int i = 0; i < all.length; i++) {
                all[i] = c.tokens()[i];
            }
            String full = model.decode(all);
            String stop = full.substring(full.length() / 2, full.length() / 2 + 1);
            String expected = full.substring(0, full.indexOf(stop));
            DecoderEngine engine = new DecoderEngine(model, 64 << 20);
            engine.add(1, GenerationRequest.text(c.prompt(), SamplingParams.GREEDY.withMaxTokens(c.maxTokens())
                    .withStop(List.of(stop)), 0));
            while (engine.running() > 0) {
                engine.step();
            }
            GenerationResult r = engine.drain().get(0).result();
            assertEquals("stop", r.finishReason());
            assertEquals(expected, r.text());
            assertTrue(r.completionTokens() < c.tokens().length);
        }
    }
}
