package dev.batchwise.fn;

/**
 * What one record of a {@link SteppedFunction} costs while it runs.
 *
 * @param prefillTokens the tokens its first step computes on (its prompt)
 * @param kvCacheBytes the most KV cache it will hold, at its longest (prompt and every token it may
 *     generate), before any padding to its batch-mates
 */
public record StepCost(int prefillTokens, long kvCacheBytes) {
    public StepCost {
        if (prefillTokens < 1) {
            throw new IllegalArgumentException("a record's prefill is at least one token, not " + prefillTokens);
        }
        if (kvCacheBytes < 0) {
            throw new IllegalArgumentException("KV cache bytes must not be negative");
        }
    }
}
