package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.model.ModelLoadException;
import dev.batchwise.testing.Decoders;
import dev.batchwise.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout is read from the model's own files and checked against the graph, with clear refusals. */
class DecoderLayoutTest {

    @Test
    void readsBothFamilies() throws Exception {
        try (DecoderModel gpt2 = Decoders.open(Decoders.GPT2); DecoderModel qwen = Decoders.open(Decoders.QWEN3)) {
            DecoderLayout g = gpt2.layout();
            assertEquals(2, g.layers());
            assertEquals(4, g.kvHeads());
            assertEquals(8, g.headDim());
            assertEquals(Set.of(506), g.eosIds(), "eos_token_id as a number");
            DecoderLayout q = qwen.layout();
            assertEquals(2, q.kvHeads(), "grouped-query attention: fewer key/value heads than query heads");
            assertEquals(4, q.headDim(), "head_dim from config.json, not hidden / heads");
            assertEquals(Set.of(151645, 151643), q.eosIds(), "eos_token_id as a list");
            assertEquals(151936, q.vocab());
        }
    }

    private static Path copy(Path dir) throws Exception {
        Path src = Decoders.dir(Decoders.GPT2);
        Path to = dir.resolve("m");
        Files.createDirectories(to);
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void aConfigThatDisagreesWithTheGraphIsRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);
        Path config = dir.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"n_head\": 4", "\"n_head\": 2"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderModel.open(dir, Models.cache(), 1));
        assertTrue(e.getMessage().contains("past_key_values.0.key") && e.getMessage().contains("config.json"),
                e.getMessage());

        Files.writeString(config, Files.readString(config).replace("\"n_layer\": 2", "\"n_layer\": 3")
                .replace("\"n_head\": 2", "\"n_head\": 4"));
        e = assertThrows(ModelLoadException.class, () -> DecoderModel.open(dir, Models.cache(), 1));
        assertTrue(e.getMessage().contains("no 'past_key_values.2.key'"), e.getMessage());
    }

    @Test
    void missingFilesAreNamed(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);
        Files.delete(dir.resolve("config.json"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> DecoderModel.open(dir, Models.cache(), 1));
        assertTrue(e.getMessage().startsWith("no config.json in "), e.getMessage());
        Files.delete(dir.resolve("model.onnx"));
        e = assertThrows(ModelLoadException.class, () -> DecoderModel.open(dir, Models.cache(), 1));
        assertTrue(e.getMessage().contains("text-generation-with-past"), e.getMessage());
    }

    @Test
    void aPromptLongerThanTheModelFailsAlone() throws Exception {
        try (DecoderModel gpt2 = Decoders.open(Decoders.GPT2)) {
            DecoderEngine engine = new DecoderEngine(gpt2, 1 << 20);
            engine.add("long", GenerationRequest.tokens(new int[200], SamplingParams.GREEDY, 0));
            engine.add("ok", GenerationRequest.text("Hello", SamplingParams.GREEDY.withMaxTokens(3), 0));
            while (engine.running() > 0) {
                engine.step();
            }
            var done = engine.drain();
            assertEquals("long", done.get(0).key());
            assertEquals("the prompt has 200 tokens; the model takes at most 128 (max_position_embeddings in config.json)",
                    done.get(0).failure().getMessage());
            assertEquals(3, done.get(1).result().completionTokens());
        }
    }
}
