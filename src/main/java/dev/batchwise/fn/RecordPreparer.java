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

    /**
     * Prepares a record as {@link #prepare(Object[])} does, for a preparer whose record's identity or other fields matter (a generation request's
     * seed comes from the record's position; its sampling parameters from its own fields). The intake
     * calls this one; by default it is {@link #prepare(Object[])}.
     *
     * @param recordIndex the record's position in the input, from 0 (for a record run again from an
     *     errors file, its position in the run that first failed it)
     * @param fields the record's fields by name: a {@code String} or a Jackson node, {@code null} when absent
     */
    default int prepare(Object[] args, long recordIndex, java.util.function.Function<String, Object> fields) {
        return prepare(args);
    }
}
