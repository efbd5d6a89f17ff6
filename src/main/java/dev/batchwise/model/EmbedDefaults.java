package dev.batchwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a model says about its own embeddings, as sentence-transformers reads it from a model
 * directory: {@code sentence_bert_config.json}'s {@code max_seq_length}, the pooling mode of its
 * {@code Pooling} module ({@code 1_Pooling/config.json}, or where {@code modules.json} puts it),
 * whether {@code modules.json} ends in {@code Normalize}, and the {@code query}/{@code passage}
 * prompts of {@code config_sentence_transformers.json}. A bundled model has its own in
 * {@link BundledModel}.
 *
 * @param pooling the model's pooling, or {@code null} when it says none (mean, or the model's own
 *     vector when it returns one per record)
 * @param normalize whether its vectors are scaled to unit length
 * @param queryPrefix the prefix of search queries, or {@code null} when the model defines none
 * @param passagePrefix the prefix of the texts searched ({@code ""} for none), or {@code null} when
 *     the model defines no query/passage prefixes
 * @param maxSeqLength tokens per record sentence-transformers uses, or 0 when not said
 */
public record EmbedDefaults(Pooling pooling, boolean normalize, String queryPrefix, String passagePrefix,
        int maxSeqLength) {

    /** A model directory that says nothing: mean pooling (or its own vectors), normalised, no prefixes. */
    public static final EmbedDefaults NONE = new EmbedDefaults(null, true, null, null, 0);

    /** Whether the model has query and passage prefixes of its own. */
    public boolean hasRoles() {
        return queryPrefix != null;
    }

    /** Reads what the sentence-transformers files in {@code dir} say; absent files say nothing. */
    static EmbedDefaults read(Path dir) throws ModelLoadException {
        JsonNode sbert = json(dir.resolve("sentence_bert_config.json"));
        int maxSeq = sbert == null ? 0 : sbert.path("max_seq_length").asInt(0);
        JsonNode modules = json(dir.resolve("modules.json"));
        Path poolingConfig = dir.resolve("1_Pooling").resolve("config.json");
        boolean normalize = true;
        if (modules != null && modules.isArray()) {
            normalize = false;
            for (JsonNode m : modules) {
                String type = m.path("type").asText("");
                if (type.endsWith(".Pooling") && !m.path("path").asText("").isEmpty()) {
                    poolingConfig = dir.resolve(m.path("path").asText()).resolve("config.json");
                } else if (type.endsWith(".Normalize")) {
                    normalize = true;
                }
            }
        }
        Pooling pooling = pooling(json(poolingConfig), poolingConfig);
        JsonNode prompts = json(dir.resolve("config_sentence_transformers.json"));
        prompts = prompts == null ? null : prompts.get("prompts");
        String query = null;
        String passage = null;
        if (prompts != null && prompts.hasNonNull("query")) {
            query = prompts.get("query").asText();
            JsonNode p = prompts.hasNonNull("passage") ? prompts.get("passage") : prompts.get("document");
            passage = p == null || p.isNull() ? "" : p.asText();
        }
        return new EmbedDefaults(pooling, normalize, query, passage, maxSeq);
    }

    private static Pooling pooling(JsonNode config, Path file) throws ModelLoadException {
        if (config == null) {
            return null;
        }
        if (config.path("pooling_mode_cls_token").asBoolean(false)) {
            return Pooling.CLS;
        }
        if (config.path("pooling_mode_lasttoken").asBoolean(false)) {
            return Pooling.LAST;
        }
        if (config.path("pooling_mode_mean_tokens").asBoolean(false)) {
            return Pooling.MEAN;
        }
        for (String other : new String[] {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                "pooling_mode_weightedmean_tokens"}) {
            if (config.path(other).asBoolean(false)) {
                throw new ModelLoadException(file + " asks for " + other.replace("pooling_mode_", "") + " pooling, which "
                        + "batchwise does not do; choose mean, cls or last pooling instead");
            }
        }
        return null;
    }

    private static JsonNode json(Path file) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonMapper.builder().build().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
