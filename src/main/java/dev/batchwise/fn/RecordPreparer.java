package dev.batchwise.fn;

/**
 * Implemented by a {@link BatchFunctionFactory} that does per-record work ahead of the batch call
 * (a text model tokenizes), or whose cost varies per record. Called on the intake thread for each
 * record as it is read, so this work overlaps with the workers' calls.
 */
public interface RecordPreparer {

    /**
     * Prepares one record's arguments in place: may replace {@code args[i]} with a prepared form that
     * the function's {@link BatchFunction#apply} also accepts (such as tokenized text), and returns
     * the record's weight, at least 1 (for a text model, its tokens). The weight feeds length
     * grouping and the per-batch token budget.
     *
     * @throws IllegalArgumentException for a record that cannot be prepared; it fails as bad input
     */
    int prepare(Object[] args);

    /**
     * The bytes one prepared record holds until its batch runs, when that is large enough to bound
     * the queue by (an image model's decoded picture); 0 when the queue need not count them.
     */
    default long preparedBytes() {
        return 0;
    }
}
