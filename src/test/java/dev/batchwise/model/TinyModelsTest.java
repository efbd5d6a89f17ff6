package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tiny classifier made by scripts/make-test-models.py, as TorchScript on the PyTorch engine and
 * as ONNX on ONNX Runtime, checked against the logits PyTorch printed (expected.json).
 */
class TinyModelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static JsonNode expected;
    static Path input;

    @BeforeAll
    static void setUp() throws Exception {
        expected = JSON.readTree(TinyModelsTest.class.getResourceAsStream("/models/expected.json"));
        List<String> texts = new ArrayList<>();
        expected.get("cases").forEach(c -> texts.add(c.get("text").asText()));
        input = dir.resolve("reviews.txt");
        Files.write(input, texts);
    }

    @Test
    void theTokenIdsInTheScriptAreWhatTheBundledTokenizerGives() throws Exception {
        try (TextModel minilm = Models.minilm(Task.EMBED)) {
            for (JsonNode c : expected.get("cases")) {
                Object[] args = {c.get("text").asText()};
                minilm.prepare(args);
                long[] ids = ((Tokenized) args[0]).ids();
                long[] script = new long[c.get("input_ids").size()];
                for (int i = 0; i < script.length; i++) {
                    script[i] = c.get("input_ids").get(i).asLong();
                }
                assertEquals(java.util.Arrays.toString(script), java.util.Arrays.toString(ids));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-classifier", "tiny-classifier-onnx"})
    void rawLogitsMatchWhatPyTorchComputed(String model) throws Exception {
        Path modelDir = Models.textModelDir(model, dir.resolve("raw"));
        try (TextModel m = Models.open(modelDir.toString(), Task.RAW, 0)) {
            assertEquals(model.endsWith("onnx") ? Engine.ONNX : Engine.TORCHSCRIPT, m.files().engine());
            BatchFunction f = m.create();
            List<Object> texts = new ArrayList<>();
            expected.get("cases").forEach(c -> texts.add(c.get("text").asText()));
            List<?> out = f.apply(List.of(texts)).get(0);
            for (int i = 0; i < texts.size(); i++) {
                JsonNode want = expected.get("cases").get(i).get("logits");
                List<?> got = (List<?>) out.get(i);
                for (int k = 0; k < want.size(); k++) {
                    assertEquals(want.get(k).asDouble(), ((Number) got.get(k)).doubleValue(), 1e-5, texts.get(i) + " #" + k);
                }
            }
            f.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-classifier", "tiny-classifier-onnx"})
    void classifiesEndToEndWithLabelsFromConfigJson(String model) throws Exception {
        Path modelDir = Models.textModelDir(model, dir.resolve("classify"));
        Cli.Run run = Cli.run("run", "--model", modelDir.toString(), "--task", "classify", "--top-k", "3",
                "--cache-dir", Models.CACHE_DIR.toString(), "-q", input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonNode> out = Runs.parse(run.out());
        assertEquals(expected.get("cases").size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            JsonNode want = expected.get("cases").get(i);
            assertEquals(want.get("label").asText(), out.get(i).get("label").asText());
            assertEquals(want.get("score").asDouble(), out.get(i).get("score").asDouble(), 1e-5);
            JsonNode top = out.get(i).get("top_k");
            assertEquals(3, top.size());
            assertEquals(want.get("label").asText(), top.get(0).get("label").asText());
            double total = 0;
            for (JsonNode t : top) {
                total += t.get("score").asDouble();
            }
            assertEquals(1.0, total, 1e-6);
        }
        List<String> labels = out.stream().map(n -> n.get("label").asText()).distinct().sorted().toList();
        assertEquals(List.of("negative", "neutral", "positive"), labels);
    }

    @Test
    void classifyingWithAnEmbeddingModelIsAClearError() throws Exception {
        Cli.Run run = Cli.run("run", "--model", "minilm", "--task", "classify", "--cache-dir",
                Models.CACHE_DIR.toString(), input.toString());
        assertEquals(2, run.exitCode(), run::toString);
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.contains("--task classify needs a model that returns logits [batch, classes]; minilm returns "
                + "(1, 4, 384), a vector per token"), run.err());
        assertTrue(first.contains("use --task embed for it, or export a classifier with its labels (docs/models.md"),
                run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void statsCountTokensPaddingAndTruncations() throws Exception {
        Path modelDir = Models.textModelDir("tiny-classifier-onnx", dir.resolve("stats"));
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run("run", "--model", modelDir.toString(), "--task", "classify", "--max-length", "8",
                "--cache-dir", Models.CACHE_DIR.toString(), "--stats-json", stats.toString(), "-q", input.toString());
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        // token counts 7, 12, 7, 9: cut to 8, the second and fourth are truncated
        assertEquals(2, s.at("/tokens/truncated_records").asInt());
        assertEquals(7 + 8 + 7 + 8, s.at("/tokens/real").asInt());
        for (String phase : List.of("tokenize", "model", "postprocess")) {
            assertTrue(s.at("/latency_ms/phases/" + phase + "/count").asInt() > 0, phase);
        }
    }

}
