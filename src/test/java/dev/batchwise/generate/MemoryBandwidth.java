package dev.batchwise.generate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's memory read bandwidth, as a decoder at batch 1 needs it: threads summing their
 * share of a 1 GiB array, far larger than the caches; the best of five passes.
 */
final class MemoryBandwidth {

    private MemoryBandwidth() {}

    static double measureGbPerSecond(int threads) throws Exception {
        long[] data = new long[1 << 27]; // 1 GiB
        for (int i = 0; i < data.length; i += 512) {
            data[i] = i;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double best = 0;
            long sink = 0;
            for (int pass = 0; pass < 6; pass++) {
                long start = System.nanoTime();
                List<Future<Long>> parts = new ArrayList<>();
                int chunk = data.length / threads;
                for (int t = 0; t < threads; t++) {
                    int from = t * chunk;
                    int to = t == threads - 1 ? data.length : from + chunk;
                    parts.add(pool.submit(() -> sum(data, from, to)));
                }
                for (Future<Long> f : parts) {
                    sink += f.get();
                }
                double gbps = (double) data.length * Long.BYTES / (System.nanoTime() - start);
                if (pass > 0) {
                    best = Math.max(best, gbps);
                }
            }
            if (sink == 42) {
                System.err.print("");
            }
            return best;
        } finally {
            pool.shutdown();
        }
    }

    private static long sum(long[] a, int from, int to) {
        long s0 = 0;
        long s1 = 0;
        long s2 = 0;
        long s3 = 0;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i];
        }
        return s0 + s1 + s2 + s3;
    }
}
