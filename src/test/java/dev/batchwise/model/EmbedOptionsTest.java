package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Embed;
import dev.batchwise.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prefix, pooling and normalisation, checked against the model's per-token output (the raw task)
 * pooled by hand, and the defaults a model directory's sentence-transformers files give.
 */
class EmbedOptionsTest {

    static final String TEXT = "Pooling turns token vectors into one.";

    @TempDir
    Path dir;

    private static float[] embed(String model, EmbedOptions options, String text) throws Exception {
        try (TextModel m = TextModel.open(ModelFiles.resolve(model, Models.cache()),
                new ModelOptions(Task.EMBED, 0, 1, 1, Models.cache()), options)) {
            return (float[]) Embed.first(m, List.of(text, "another record in the batch, longer than the first one"), 2)
                    .get(0);
        }
    }

    private static EmbedOptions pooling(Pooling p, Boolean normalize) {
        return new EmbedOptions(null, null, p, normalize, Chunking.OFF);
    }

    @Test
    void poolingsAreTheTokenVectorsPooledByHand() throws Exception {
        List<?> tokens;
        try (TextModel m = Models.open("minilm", Task.RAW, 0)) {
            tokens = (List<?>) Embed.first(m, List.of(TEXT), 1).get(0);
        }
        int n = tokens.size();
        float[] mean = new float[384];
        for (Object t : tokens) {
            for (int d = 0; d < 384; d++) {
                mean[d] += ((Number) ((List<?>) t).get(d)).floatValue() / n;
            }
        }
        ChunkingTest.assertClose(mean, embed("minilm", pooling(Pooling.MEAN, false), TEXT), "mean");
        ChunkingTest.assertClose(row(tokens, 0), embed("minilm", pooling(Pooling.CLS, false), TEXT), "cls");
        ChunkingTest.assertClose(row(tokens, n - 1), embed("minilm", pooling(Pooling.LAST, false), TEXT), "last");
        ChunkingTest.assertClose(Pooler.normalize(row(tokens, 0)), embed("minilm", pooling(Pooling.CLS, null), TEXT),
                "cls, normalised by default");
        float[] raw = embed("minilm", pooling(null, false), TEXT);
        double norm = 0;
        for (float x : raw) {
            norm += x * x;
        }
        assertTrue(Math.abs(Math.sqrt(norm) - 1) > 0.01, "not normalised: norm " + Math.sqrt(norm));
    }

    private static float[] row(List<?> tokens, int i) {
        List<?> r = (List<?>) tokens.get(i);
        float[] v = new float[r.size()];
        for (int d = 0; d < v.length; d++) {
            v[d] = ((Number) r.get(d)).floatValue();
        }
        return v;
    }

    @Test
    void aPrefixIsPutBeforeTheText() throws Exception {
        ChunkingTest.assertClose(embed("minilm", EmbedOptions.DEFAULTS, "query: " + TEXT),
                embed("minilm", new EmbedOptions("query: ", null, null, null, Chunking.OFF), TEXT), "prefix");
        ChunkingTest.assertClose(embed("e5-small-v2-q", new EmbedOptions("passage: ", null, null, null, Chunking.OFF), TEXT),
                embed("e5-small-v2-q", EmbedOptions.DEFAULTS, TEXT), "e5's default is its passage prefix");
        ChunkingTest.assertClose(embed("e5-small-v2-q", new EmbedOptions("query: ", null, null, null, Chunking.OFF), TEXT),
                embed("e5-small-v2-q", new EmbedOptions(null, EmbedOptions.Role.QUERY, null, null, Chunking.OFF), TEXT),
                "e5's query prefix");
    }

    @Test
    void choicesAModelCannotTakeAreRefused() throws Exception {
        IllegalArgumentException roles = assertThrows(IllegalArgumentException.class, () -> embed("minilm",
                new EmbedOptions(null, EmbedOptions.Role.QUERY, null, null, Chunking.OFF), TEXT));
        assertEquals("model 'minilm' defines no query or passage prefix; give the prefix text itself", roles.getMessage());
        ModelLoadException none = assertThrows(ModelLoadException.class, () -> embed("minilm", pooling(Pooling.NONE,
                null), TEXT));
        assertTrue(none.getMessage().contains("pooling none takes the model's own vector per record"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TextModel.open(ModelFiles.resolve("minilm", Models.cache()),
                new ModelOptions(Task.CLASSIFY, 0, 1, 1, Models.cache()), pooling(Pooling.CLS, null)));
    }

    @Test
    void aModelDirectorysSentenceTransformersFilesGiveItsDefaults() throws Exception {
        Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"\",\"type\":"
                + "\"sentence_transformers.models.Transformer\"},{\"idx\":1,\"name\":\"1\",\"path\":\"pool\",\"type\":"
                + "\"sentence_transformers.models.Pooling\"}]");
        Files.createDirectories(dir.resolve("pool"));
        Files.writeString(dir.resolve("pool/config.json"), "{\"pooling_mode_cls_token\": true}");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"Q: \", \"document\": \"D: \"}}");
        assertEquals(new EmbedDefaults(Pooling.CLS, false, "Q: ", "D: ", 128), EmbedDefaults.read(dir));
        Files.writeString(dir.resolve("pool/config.json"), "{\"pooling_mode_max_tokens\": true}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> EmbedDefaults.read(dir));
        assertTrue(e.getMessage().endsWith("asks for max_tokens pooling, which batchwise does not do; choose mean, cls "
                + "or last pooling instead"), e.getMessage());
        assertEquals(EmbedDefaults.NONE, EmbedDefaults.read(dir.resolve("pool")));
    }
}
