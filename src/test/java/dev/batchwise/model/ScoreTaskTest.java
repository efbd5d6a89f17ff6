package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.testing.Embed;
import dev.batchwise.testing.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The score task against PyTorch: two tiny cross-encoders made by scripts/make-cross-encoder.py
 * (one logit, sigmoid; two classes, softmax of class 1), their scores for four text pairs computed
 * there eagerly on the same weights. Batched with padding or alone, a pair's score is the same.
 */
class ScoreTaskTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"cross-encoder-1", "cross-encoder-2"})
    void scoresMatchPyTorch(String name) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(getClass().getResourceAsStream("/models/cross-encoder-expected.json"));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode p : expected.get("pairs")) {
            rows.add(List.of(p.get("text").asText(), p.get("text_pair").asText()));
        }
        try (TextModel m = TextModel.open(ModelFiles.resolve(Models.textModelDir(name, dir).toString(), Models.cache()),
                new ModelOptions(Task.SCORE, 0, 1, 1, Models.cache()))) {
            assertEquals(List.of("text", "text_pair"), m.signature().inputNames());
            assertEquals(List.of("score"), m.signature().outputs());
            for (int i = 0; i < rows.size(); i++) {
                Tokenized t = (Tokenized) m.prepared(rows.get(i).get(0), rows.get(i).get(1));
                long[] ids = new ObjectMapper().convertValue(expected.get("pairs").get(i).get("ids"), long[].class);
                assertArrayEquals(ids, t.ids(), "the tokens the reference was computed on, pair " + i);
            }
            for (int batch : new int[] {1, 4}) {
                List<Object> scores = Embed.run(m, rows, batch, CallMetrics.NONE).get(0);
                for (int i = 0; i < rows.size(); i++) {
                    assertEquals(expected.get(name).get(i).asDouble(), (Double) scores.get(i), 1e-5,
                            "pair " + i + " at batch " + batch);
                }
            }
        }
    }
}
