package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.batchwise.testing.Decoders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sampled record's tokens depend on its prompt, parameters and seed only: never on its batch-mates. */
class SamplingTest {

    private static DecoderModel model;

    @BeforeAll
    static void open() throws Exception {
        model = Decoders.open(Decoders.GPT2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static final SamplingParams SAMPLED = new SamplingParams(30, 0.9, 0.95, 0, List.of(), true);

    private static Map<Integer, int[]> run(List<GenerationRequest> requests, int joinEvery) throws Exception {
        DecoderEngine engine = new DecoderEngine(model, 64 << 20);
        Map<Integer, int[]> out = new HashMap<>();
        int next = 0;
        int steps = 0;
        while (next < requests.size() || engine.running() > 0) {
            while (next < requests.size() && (joinEvery == 0 || steps % joinEvery == 0)) {
                engine.add(next, requests.get(next).withTokenIds(true));
                next++;
                if (joinEvery > 0) {
                    break;
                }
            }
            engine.step();
            steps++;
            for (DecoderEngine.Finished f : engine.drain()) {
                assertNull(f.failure());
                out.put((Integer) f.key(), f.result().tokenIds());
            }
        }
        return out;
    }

    @Test
    void sampledTokensDoNotDependOnBatchMates() throws Exception {
        GenerationRequest mine = GenerationRequest.text("Once upon a time", SAMPLED, Seeds.forRecord(42, 3));
        int[] alone = run(List.of(mine), 0).get(0);

        List<GenerationRequest> crowd = new ArrayList<>();
        String[] others = {"The quick brown fox", "x", "Numbers: 1 2 3 and more numbers to pad this one out", "Café"};
        for (int i = 0; i < others.length; i++) {
            crowd.add(GenerationRequest.text(others[i], SAMPLED.withMaxTokens(5 + 7 * i), Seeds.forRecord(42, 10 + i)));
        }
        List<GenerationRequest> together = new ArrayList<>(crowd);
        together.add(2, mine);
        assertArrayEquals(alone, run(together, 0).get(2), "in one batch with four others");
        assertArrayEquals(alone, run(together, 3).get(2), "joining a running set");

        int[] otherSeed = run(List.of(GenerationRequest.text("Once upon a time", SAMPLED, Seeds.forRecord(42, 4))), 0).get(0);
        assertFalse(Arrays.equals(alone, otherSeed), "another record's seed draws other tokens");
        int[] greedy = run(List.of(GenerationRequest.text("Once upon a time", SAMPLED.withTemperature(0), 0)), 0).get(0);
        assertFalse(Arrays.equals(alone, greedy), "sampling is not greedy decoding");
    }

    @Test
    void topKOfOneIsGreedy() throws Exception {
        GenerationRequest greedy = GenerationRequest.text("The weather today is", SAMPLED.withTemperature(0), 1);
        GenerationRequest topOne = GenerationRequest.text("The weather today is", SAMPLED.withTopK(1), 1);
        assertArrayEquals(run(List.of(greedy), 0).get(0), run(List.of(topOne), 0).get(0));
    }

    @Test
    void aRecordSeedGivesTheSameTokensInAnyRun() {
        GenerationRequest a = RequestFields.toRequest(Map.of("prompt", "hi", "seed", "5"), SAMPLED, 1, 0, false);
        GenerationRequest b = RequestFields.toRequest(Map.of("prompt", "hi", "seed", "5"), SAMPLED, 2, 9, false);
        GenerationRequest c = RequestFields.toRequest(Map.of("prompt", "hi"), SAMPLED, 1, 0, false);
        GenerationRequest d = RequestFields.toRequest(Map.of("prompt", "hi"), SAMPLED, 1, 1, false);
        org.junit.jupiter.api.Assertions.assertEquals(a.seed(), b.seed());
        org.junit.jupiter.api.Assertions.assertNotEquals(c.seed(), d.seed());
    }
}
