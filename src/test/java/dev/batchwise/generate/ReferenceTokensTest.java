package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.testing.Decoders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy tokens equal PyTorch's, run eagerly with full recompute and one prompt at a time
 * (scripts/make-test-decoders.py, scripts/make-test-llama.py), for the three tiny decoders and every
 * reference prompt (96 in all), with their attention as exported (tiny-qwen3) and rewritten to read the
 * cache in place (tiny-gpt2, tiny-llama),
 * whatever the batching: alone, static batches of 8, and the stepped engine with a record joining
 * every other step. The prompts are given as text, so the tokenizer is checked against
 * transformers.js's ids too.
 */
class ReferenceTokensTest {

    private static final Map<String, DecoderModel> MODELS = new HashMap<>();

    @BeforeAll
    static void open() throws Exception {
        MODELS.put(Decoders.GPT2, Decoders.open(Decoders.GPT2));
        MODELS.put(Decoders.QWEN3, Decoders.open(Decoders.QWEN3));
        MODELS.put(Decoders.LLAMA, Decoders.open(Decoders.LLAMA));
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(DecoderModel::close);
    }

    private static GenerationRequest request(Decoders.Case c) {
        return GenerationRequest.text(c.prompt(), SamplingParams.GREEDY.withMaxTokens(c.maxTokens()), 7).withTokenIds(true);
    }

    private static void check(DecoderModel model, Decoders.Case c, GenerationResult r) {
        assertArrayEquals(c.tokens(), r.tokenIds(), () -> "tokens for '" + c.prompt() + "'");
        assertEquals(c.finishReason(), r.finishReason(), () -> "finish reason for '" + c.prompt() + "'");
        assertEquals(c.promptIds().length, r.promptTokens());
        assertEquals(c.tokens().length, r.completionTokens());
        long[] ids = new long[c.tokens().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = c.tokens()[i];
        }
        assertEquals(model.decode(ids), r.text(), () -> "incremental text for '" + c.prompt() + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {Decoders.GPT2, Decoders.QWEN3, Decoders.LLAMA})
    void promptsTokenizeAsTransformersJsDoes(String name) throws Exception {
        for (Decoders.Case c : Decoders.references(name)) {
            assertArrayEquals(c.promptIds(), MODELS.get(name).encode(c.prompt()), () -> "ids of '" + c.prompt() + "'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Decoders.GPT2, Decoders.QWEN3, Decoders.LLAMA})
    void aloneAsPyTorch(String name) throws Exception {
        DecoderModel model = MODELS.get(name);
        DecoderEngine engine = new DecoderEngine(model, 64 << 20);
        for (Decoders.Case c : Decoders.references(name)) {
            engine.add(c, request(c));
            while (engine.running() > 0) {
                engine.step();
            }
            List<DecoderEngine.Finished> done = engine.drain();
            assertEquals(1, done.size());
            assertNull(done.get(0).failure());
            check(model, c, done.get(0).result());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Decoders.GPT2, Decoders.QWEN3, Decoders.LLAMA})
    void staticBatchesOfEightAsPyTorch(String name) throws Exception {
        DecoderModel model = MODELS.get(name);
        List<Decoders.Case> cases = Decoders.references(name);
        try (StaticGeneration f = new StaticGeneration(model, GenerationOptions.of(SamplingParams.GREEDY).withTokenIds(true))) {
            for (int from = 0; from < cases.size(); from += 8) {
                List<Decoders.Case> batch = cases.subList(from, Math.min(cases.size(), from + 8));
                List<Object> prompts = new ArrayList<>();
                batch.forEach(c -> prompts.add(request(c)));
                List<? extends List<?>> out = f.apply(List.of(prompts));
                assertEquals(5, out.size());
                for (int i = 0; i < batch.size(); i++) {
                    Decoders.Case c = batch.get(i);
                    @SuppressWarnings("unchecked")
                    List<Integer> ids = (List<Integer>) out.get(4).get(i);
                    GenerationResult r = new GenerationResult((String) out.get(0).get(i), (String) out.get(1).get(i),
                            ((Long) out.get(2).get(i)).intValue(), ((Long) out.get(3).get(i)).intValue(),
                            ids.stream().mapToInt(Integer::intValue).toArray());
                    check(model, c, r);
                }
            }
            assertTrue(f.profile().meanRunning() > 1, "batches ran together");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Decoders.GPT2, Decoders.QWEN3, Decoders.LLAMA})
    void steppedWithStaggeredAdmissionsAsPyTorch(String name) throws Exception {
        DecoderModel model = MODELS.get(name);
        List<Decoders.Case> cases = Decoders.references(name);
        Map<Decoders.Case, List<Object>> done = new HashMap<>();
        try (SteppedGeneration<Decoders.Case> f = new SteppedGeneration<>(model,
                GenerationOptions.of(SamplingParams.GREEDY).withTokenIds(true))) {
            int next = 0;
            int steps = 0;
            while (next < cases.size() || !f.running().isEmpty()) {
                if (next < cases.size() && steps % 2 == 0 && f.running().size() < 6) {
                    Decoders.Case c = cases.get(next++);
                    f.admit(c, List.of(request(c)));
                }
                f.step();
                steps++;
                for (SteppedFunction.Completion<Decoders.Case> c : f.drain()) {
                    assertNull(c.failure());
                    done.put(c.key(), c.outputs());
                }
            }
            assertTrue(f.profile().rebuilds() > cases.size() / 2, "records joined and left the running set");
        }
        assertEquals(cases.size(), done.size());
        for (Decoders.Case c : cases) {
            List<Object> o = done.get(c);
            @SuppressWarnings("unchecked")
            List<Integer> ids = (List<Integer>) o.get(4);
            check(model, c, new GenerationResult((String) o.get(0), (String) o.get(1), ((Long) o.get(2)).intValue(),
                    ((Long) o.get(3)).intValue(), ids.stream().mapToInt(Integer::intValue).toArray()));
        }
    }
}
