package dev.batchwise.model;

/**
 * How to run a text model.
 *
 * @param maxLength tokens per record before truncation; 0 for the model's own (see {@link TextModel})
 * @param topK for {@link Task#CLASSIFY}: how many labels to list, most likely first
 * @param threadsPerWorker the math threads of each worker's model instance
 */
public record ModelOptions(Task task, int maxLength, int topK, int threadsPerWorker, ModelCache cache) {
    public ModelOptions {
        if (maxLength < 0) {
            throw new IllegalArgumentException("max length must not be negative");
        }
        if (topK < 1) {
            throw new IllegalArgumentException("top-k must be at least 1");
        }
        if (threadsPerWorker < 1) {
            throw new IllegalArgumentException("model threads must be at least 1");
        }
    }
}
