package dev.batchwise.testing;

import dev.batchwise.fn.CallMetrics;

/** Call metrics that add up the cache hits and misses reported, and ignore the rest. */
public final class CacheCounts implements CallMetrics {
    public long hits;
    public long misses;

    @Override
    public void phase(String name, long nanos) {}

    @Override
    public void tokens(long real, long padded) {}

    @Override
    public void truncated(int records) {}

    @Override
    public void cache(int h, int m) {
        hits += h;
        misses += m;
    }
}
