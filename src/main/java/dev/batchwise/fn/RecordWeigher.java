package dev.batchwise.fn;

/**
 * Implemented by a {@link BatchFunctionFactory} whose cost per record varies, such as a text model
 * whose cost grows with the tokens of the longest record in a batch. The weight feeds
 * {@code --group-by-length} and {@code --max-batch-tokens}. Called from the intake thread.
 */
public interface RecordWeigher {

    /** The weight of one record, given its converted arguments; at least 1. */
    int weigh(Object[] args);
}
