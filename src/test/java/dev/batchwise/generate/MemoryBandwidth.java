package dev.batchwise.generate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The machine's memory read bandwidth, as a decoder at batch 1 needs it: threads comparing their share
 * of two 512 MiB arrays ({@code Arrays.mismatch}, which the JIT compiles to the widest vector loads the
 * machine has, so the loop is bound by memory, not by its own instructions), far larger than the caches;
 * the best of five passes after a first. A scalar summing loop measured a quarter less on some runs, as
 * its speed depended on how it was compiled.
 */
final class MemoryBandwidth {

    private MemoryBandwidth() {}

    static double measureGbPerSecond(int threads) throws Exception {
        long[] a = new long[1 << 26]; // 512 MiB each
        long[] b = new long[1 << 26];
        for (int i = 0; i < a.length; i += 512) {
            a[i] = i;
            b[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            long found = 0;
            for (int pass = 0; pass < 6; pass++) {
                long start = System.nanoTime();
                List<Future<Integer>> parts = new ArrayList<>();
                int chunk = a.length / threads;
                for (int t = 0; t < threads; t++) {
                    int from = t * chunk;
                    int to = t == threads - 1 ? a.length : from + chunk;
                    parts.add(pool.submit(() -> Arrays.mismatch(a, from, to, b, from, to)));
                }
                for (Future<Integer> f : parts) {
                    found += f.get();
                }
                double gbps = 2.0 * a.length * Long.BYTES / (System.nanoTime() - start);
                if (pass > 0) {
                    best = Math.max(best, gbps);
                }
            }
            if (found != -6L * threads) {
                throw new IllegalStateException("the two arrays differ; the measure read something else");
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }
}
