package dev.batchwise.run;

import dev.batchwise.model.Chunking;
import dev.batchwise.model.EmbedOptions;
import dev.batchwise.model.Pooling;
import dev.batchwise.sink.EmbeddingFormat;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.Serializable;
import java.util.Objects;

/**
 * What a run asks of a text model's embeddings, beside its {@code ModelSpec}: the prefix, pooling,
 * normalisation and chunking the model computes with ({@link #embedOptions()}), how vectors are
 * written, and the cache in front of the model. Immutable and serializable (it travels inside
 * {@link FunctionSpec.Model}); validated by its {@link Builder}. {@code null} means the model's own.
 *
 * @param prefix text put before every record's text, or {@code null}
 * @param role the model's query or passage prefix, or {@code null}; not with {@code prefix}
 * @param pooling {@code null} for the model's own
 * @param normalize {@code null} for the model's own
 * @param chunkTokens text tokens per piece (0: as many as fit), or {@code null} to truncate
 * @param chunkOverlapTokens tokens each piece repeats from the previous one
 * @param chunkOutput a chunked record's output
 * @param format how vectors are written
 * @param cache the path of the store of computed outputs, or {@code null} for none
 */
public record EmbeddingSpec(String prefix, EmbedOptions.Role role, Pooling pooling, Boolean normalize,
        Integer chunkTokens, int chunkOverlapTokens, Chunking.Output chunkOutput, EmbeddingFormat format,
        String cache) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The model's own settings, truncation, floats, no cache. */
    public static final EmbeddingSpec DEFAULTS = builder().build();

    public EmbeddingSpec {
        Objects.requireNonNull(chunkOutput);
        Objects.requireNonNull(format);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the model is opened with. */
    public EmbedOptions embedOptions() {
        Chunking chunking = chunkTokens == null ? Chunking.OFF
                : Chunking.of(chunkTokens, chunkOverlapTokens, chunkOutput);
        return new EmbedOptions(prefix, role, pooling, normalize, chunking);
    }

    /** The settings as given, each starting at its default; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        /** Text put before every record's text, or {@code null}. */
        public String prefix;
        /** The model's query or passage prefix, or {@code null}. */
        public EmbedOptions.Role role;
        /** How token vectors become one, or {@code null} for the model's own. */
        public Pooling pooling;
        /** Whether vectors are scaled to unit length, or {@code null} for the model's own. */
        public Boolean normalize;
        /** Text tokens per piece of a long record (0: as many as fit), or {@code null} to truncate. */
        public Integer chunkTokens;
        /** Tokens each piece repeats, or {@code null} for none. */
        public Integer chunkOverlapTokens;
        /** A chunked record's output, or {@code null} for the mean. */
        public Chunking.Output chunkOutput;
        /** How vectors are written. */
        public EmbeddingFormat format = EmbeddingFormat.FLOAT;
        /** The store of computed outputs, or {@code null}. */
        public String cache;

        private Builder() {}

        /** @throws SettingException for a setting out of range, or one that needs another */
        public EmbeddingSpec build() {
            if (prefix != null && role != null) {
                throw new SettingException("prefix", Phrase.of("{prefix} and {" + role.label() + "} exclude each other: "
                        + "give the prefix text, or ask for the model's own"));
            }
            if (chunkTokens != null) {
                SettingException.inRange("chunk", chunkTokens, 0, 1_000_000);
            } else if (chunkOverlapTokens != null || chunkOutput != null) {
                String key = chunkOverlapTokens != null ? "chunk-overlap" : "chunk-output";
                throw new SettingException(key, Phrase.of("{" + key + "} applies to chunks: give {chunk} TOKENS too "
                        + "(0 for as many as fit)"));
            }
            int overlap = chunkOverlapTokens == null ? 0 : chunkOverlapTokens;
            SettingException.inRange("chunk-overlap", overlap, 0, 1_000_000);
            if (chunkTokens != null && chunkTokens > 0 && overlap >= chunkTokens) {
                throw new SettingException("chunk-overlap", Phrase.of("{chunk-overlap} %s must be less than {chunk} %s",
                        overlap, chunkTokens));
            }
            if (cache != null && cache.isBlank()) {
                throw new SettingException("cache", Phrase.of("{cache} needs a file name"));
            }
            return new EmbeddingSpec(prefix, role, pooling, normalize, chunkTokens, overlap,
                    chunkOutput == null ? Chunking.Output.MEAN : chunkOutput, Objects.requireNonNull(format, "format"),
                    cache);
        }
    }
}
