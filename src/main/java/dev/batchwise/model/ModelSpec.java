package dev.batchwise.model;

import dev.batchwise.util.SettingException;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a text model runs, as asked: the model-options part of a run spec, beside the model's name (the
 * run layer's {@code FunctionSpec.Model}). Immutable and serializable; validated by its {@link Builder}.
 * What it leaves open (the threads, the cache) is settled when a model is opened ({@link ModelOptions}).
 * A new model option is a field of the {@link Builder}, its check in {@link Builder#build()}, and a
 * component here, which the model's code reads.
 *
 * @param maxLength tokens per record, or {@code null} for the model's own
 * @param topK for {@link Task#CLASSIFY}: how many labels to list
 * @param threads math threads per instance, or {@code null} for the cores divided among the workers
 * @param cacheDir where model files are extracted, or {@code null} for the default
 */
public record ModelSpec(Task task, Integer maxLength, int topK, Integer threads, String cacheDir)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ModelSpec {
        Objects.requireNonNull(task);
    }

    /** The bundled model's defaults: sentence embeddings, its own max length, math threads per worker. */
    public static ModelSpec defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings as given, each field starting at its default; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        /** What the model computes. */
        public Task task = Task.EMBED;
        /** Tokens per record, or {@code null} for the model's own. */
        public Integer maxLength;
        /** For {@link Task#CLASSIFY}: how many labels to list. */
        public int topK = 1;
        /** Math threads of each instance, or {@code null} for the cores divided among the workers. */
        public Integer threads;
        /** Where model files are extracted, or {@code null} for the default. */
        public String cacheDir;

        private Builder() {}

        /** @throws SettingException for a setting out of its range */
        public ModelSpec build() {
            if (task != Task.GENERATE) { // generation's top-k is checked with the generation settings
                SettingException.inRange("top-k", topK, 1, 10_000);
            }
            if (threads != null) {
                SettingException.inRange("model-threads", threads, 1, 1024);
            }
            if (maxLength != null) {
                SettingException.inRange("max-length", maxLength, 2, 1_000_000);
            }
            Objects.requireNonNull(task, "task");
            return new ModelSpec(task, maxLength, topK, threads, cacheDir);
        }
    }
}
