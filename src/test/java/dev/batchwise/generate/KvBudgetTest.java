package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.fn.StepLoop;
import dev.batchwise.fn.StepPlanner;
import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.testing.Decoders;
import dev.batchwise.testing.FakeClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KV cache budget: a record that can never fit fails alone; one that fits only later waits for room. */
class KvBudgetTest {

    /** Bytes per token of tiny-gpt2's cache, past and present: 2 layers × key and value × 4 heads × 8 × 4 B × 2. */
    private static final long PER_TOKEN = 2 * 2 * 4 * 8 * 4 * 2;

    record Rec(String name, int maxTokens) {}

    @Test
    void aRecordTooLargeForTheBudgetFailsAloneAndOneThatFitsLaterWaits() throws Exception {
        // "Hello" is 5 tokens: 5 + 40 = 45 tokens; the budget holds 100 tokens' worth of padded rows
        long budget = 100 * PER_TOKEN;
        List<Rec> records = List.of(new Rec("a", 40), new Rec("huge", 200), new Rec("b", 40), new Rec("c", 40));
        Deque<Rec> queue = new ArrayDeque<>(records);
        Map<String, String> outcome = new LinkedHashMap<>();
        List<List<String>> admittedPerStep = new ArrayList<>();
        try (DecoderModel model = Decoders.open(Decoders.GPT2);
                SteppedGeneration<Rec> f = new SteppedGeneration<>(model,
                        GenerationOptions.of(SamplingParams.GREEDY.withIgnoreEos(true)).withKvCacheBytes(budget))) {
            StepLoop<Rec> loop = new StepLoop<>(f, r -> List.of(GenerationRequest.text("Hello",
                    SamplingParams.GREEDY.withMaxTokens(r.maxTokens()).withIgnoreEos(true), 0)),
                    new StepPlanner.Budget(8, 0, budget, true), new FakeClock());
            loop.run(new StepLoop.Waiting<>() {
                @Override
                public List<Rec> peek(int max) {
                    return queue.stream().limit(max).toList();
                }

                @Override
                public void take(int n) {
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        names.add(queue.poll().name());
                    }
                    admittedPerStep.add(names);
                }

                @Override
                public boolean awaitRecord() {
                    return !queue.isEmpty();
                }
            }, (SteppedFunction.Completion<Rec> c, long admitted, long first, long done) -> outcome.put(c.key().name(),
                    c.failed() ? "failed: " + c.failure().getMessage() : (String) c.outputs().get(1) + " "
                            + c.outputs().get(3)));
        }
        assertEquals("length 40", outcome.get("a"));
        assertEquals("length 40", outcome.get("b"));
        assertEquals("length 40", outcome.get("c"));
        assertTrue(outcome.get("huge").startsWith("failed: the record needs"), outcome.get("huge"));
        assertTrue(outcome.get("huge").contains("more than the budget"), outcome.get("huge"));
        // a and b fit together (2 × 45 tokens); huge is rejected and does not block b; c waits for a room
        assertEquals(List.of("a", "huge", "b"), admittedPerStep.get(0));
        List<String> later = admittedPerStep.stream().skip(1).filter(l -> !l.isEmpty()).toList().get(0);
        assertEquals(List.of("c"), later);
    }

    @Test
    void theStaticFunctionFailsABatchOverTheBudgetSoThePipelineSplitsIt() throws Exception {
        try (DecoderModel model = Decoders.open(Decoders.GPT2);
                StaticGeneration f = new StaticGeneration(model,
                        GenerationOptions.of(SamplingParams.GREEDY.withMaxTokens(40)).withKvCacheBytes(100 * PER_TOKEN))) {
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> f.apply(List.of(List.of("Hello", "Hello", "Hello"))));
            assertTrue(e.getMessage().contains("more than the budget"), e.getMessage());
            List<? extends List<?>> two = f.apply(List.of(List.of("Hello", "Hello")));
            assertEquals(2, two.get(0).size());
            assertNotNull(two.get(0).get(1));
        }
    }
}
