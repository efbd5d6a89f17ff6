package dev.batchwise.generate;

/**
 * How a run generates, fixed when it starts.
 *
 * @param defaults the parameters of a record that gives none of its own
 * @param runSeed the run's seed ({@code --seed}): with a record's position, its generator's seed
 * @param returnTokenIds whether results carry the generated token ids
 * @param kvCacheBytes the most KV cache one worker's running set may hold (its padded layout, the
 *     past going in and the present coming out of a step both counted); a record that needs more
 *     than this alone fails alone
 * @param maxPrefillLogitsBytes the most logits one prefill call may return before it is split
 */
public record GenerationOptions(SamplingParams defaults, long runSeed, boolean returnTokenIds, long kvCacheBytes,
        long maxPrefillLogitsBytes) {

    /** 1 GiB: a SmolLM-135M-sized model (23 KB of cache per token) holds 16 records of 1,400 tokens. */
    public static final long DEFAULT_KV_CACHE_BYTES = 1L << 30;
    public static final long DEFAULT_PREFILL_LOGITS_BYTES = 256L << 20;

    public GenerationOptions {
        if (kvCacheBytes < 1 || maxPrefillLogitsBytes < 1) {
            throw new IllegalArgumentException("the KV cache and prefill budgets must be positive");
        }
    }

    public static GenerationOptions of(SamplingParams defaults) {
        return new GenerationOptions(defaults, 0, false, DEFAULT_KV_CACHE_BYTES, DEFAULT_PREFILL_LOGITS_BYTES);
    }

    public GenerationOptions withKvCacheBytes(long bytes) {
        return new GenerationOptions(defaults, runSeed, returnTokenIds, bytes, maxPrefillLogitsBytes);
    }

    public GenerationOptions withTokenIds(boolean on) {
        return new GenerationOptions(defaults, runSeed, on, kvCacheBytes, maxPrefillLogitsBytes);
    }
}
