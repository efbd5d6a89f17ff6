package dev.batchwise.fn;

/**
 * What a function may report about one call, for the run's stats: time per phase, tokens, records
 * cut to fit, cache hits and misses. Optional: the pipeline measures each call's total time itself. Not thread-safe: valid
 * only during the call it was passed to.
 */
public interface CallMetrics {

    /** Time the call spent in a named phase, such as {@code tokenize}, {@code model}, {@code postprocess}. */
    void phase(String name, long nanos);

    /**
     * Tokens the call processed.
     *
     * @param real the records' own tokens
     * @param padded the tokens computed on, padding included (batch size × longest record)
     */
    void tokens(long real, long padded);

    /** Records whose input was cut to fit, such as text truncated to the model's max length. */
    void truncated(int records);

    /**
     * Records whose outputs a cache had ({@code hits}, not run) and did not have ({@code misses},
     * run and stored). Reported by a function that wraps another with a cache; others report none.
     */
    default void cache(int hits, int misses) {}

    CallMetrics NONE = new CallMetrics() {
        @Override
        public void phase(String name, long nanos) {}

        @Override
        public void tokens(long real, long padded) {}

        @Override
        public void truncated(int records) {}
    };
}
