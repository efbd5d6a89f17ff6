package dev.batchwise.model;

import java.util.Objects;

/**
 * How a text model runs: its spec, with what the spec leaves open settled for this machine.
 *
 * @param spec the model options as asked (task, max length, top-k, ...)
 * @param threadsPerWorker the math threads of each worker's model instance
 * @param cache where model files and native libraries are extracted
 */
public record ModelOptions(ModelSpec spec, int threadsPerWorker, ModelCache cache) {
    public ModelOptions {
        Objects.requireNonNull(spec);
        Objects.requireNonNull(cache);
        if (threadsPerWorker < 1) {
            throw new IllegalArgumentException("model threads must be at least 1");
        }
    }

    /**
     * Options from their parts, for code that opens a model itself rather than from a run's spec.
     *
     * @param maxLength tokens per record, or 0 for the model's own
     */
    public ModelOptions(Task task, int maxLength, int topK, int threadsPerWorker, ModelCache cache) {
        this(spec(task, maxLength, topK), threadsPerWorker, cache);
    }

    private static ModelSpec spec(Task task, int maxLength, int topK) {
        ModelSpec.Builder b = ModelSpec.builder();
        b.task = task;
        b.maxLength = maxLength == 0 ? null : maxLength;
        b.topK = topK;
        return b.build();
    }

    /** What the model computes. */
    public Task task() {
        return spec.task();
    }

    /** For {@link Task#CLASSIFY}: how many labels to list, most likely first. */
    public int topK() {
        return spec.topK();
    }

    /** The tokens per record asked for, or 0 for the model's own (see {@link TextModel}). */
    int maxLength() {
        return spec.maxLength() == null ? 0 : spec.maxLength();
    }
}
