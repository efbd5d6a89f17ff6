package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The values a sweep tries, each list in the order given, duplicates dropped. Immutable, validated
 * once. The load is either a list ({@code --concurrency}, {@code --rate}, or the one offline load) or,
 * for {@code --rate auto}, empty: then each combination's rate is searched for.
 *
 * @param delaysNanos max delays, in nanoseconds
 * @param modelThreads math threads per worker's model to try, or just 0: not varied
 * @param coreBudget with threads varied, the (workers, threads) pairs whose product exceeds it are
 *     left out, one thread per worker aside; 0 leaves none out
 */
public record Grid(List<Integer> batchSizes, List<Long> delaysNanos, List<Integer> workers, List<Load> loads,
        List<Integer> modelThreads, int coreBudget) {

    /** A worker count and the model threads of each worker: what is loaded once and serves its points. */
    public record Pool(int workers, int modelThreads) {}

    /** A grid whose model threads are not varied. */
    public Grid(List<Integer> batchSizes, List<Long> delaysNanos, List<Integer> workers, List<Load> loads) {
        this(batchSizes, delaysNanos, workers, loads, List.of(0), 0);
    }

    public Grid {
        batchSizes = distinct(batchSizes, "--max-batch-size");
        delaysNanos = distinct(delaysNanos, "--max-delay");
        workers = distinct(workers, "--workers");
        loads = List.copyOf(new LinkedHashSet<>(loads));
        modelThreads = distinct(modelThreads, "--model-threads");
        for (int t : modelThreads) {
            if (t < 0 || t == 0 && modelThreads.size() > 1) {
                throw new IllegalArgumentException("--model-threads: " + t + " is not a thread count (1 or more)");
            }
        }
        for (int b : batchSizes) {
            if (b < 1) {
                throw new IllegalArgumentException("--max-batch-size: " + b + " is not a batch size (1 or more)");
            }
        }
        for (long d : delaysNanos) {
            if (d < 0) {
                throw new IllegalArgumentException("--max-delay: a delay must not be negative");
            }
        }
        for (int w : workers) {
            if (w < 1) {
                throw new IllegalArgumentException("--workers: " + w + " is not a worker count (1 or more)");
            }
        }
    }

    private static <T> List<T> distinct(List<T> values, String option) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        return List.copyOf(new LinkedHashSet<>(values));
    }

    /** The pools to load, workers outermost, in the order given. */
    public List<Pool> pools() {
        List<Pool> out = new ArrayList<>();
        for (int w : workers) {
            for (int t : modelThreads) {
                if (t <= 1 || coreBudget == 0 || (long) w * t <= coreBudget) {
                    out.add(new Pool(w, t));
                }
            }
        }
        return out;
    }

    /** Whether the points are offline jobs: every record offered at once. */
    public boolean offline() {
        return loads.size() == 1 && loads.get(0) instanceof Load.Offline;
    }

    /** Whether the rate of each combination is searched for ({@code --rate auto}). */
    public boolean searchesRate() {
        return loads.isEmpty();
    }

    /**
     * The points for one worker count, batch size outermost, then delay, then load; for a rate
     * search, one per (batch size, delay) with the given {@code placeholder} load. At max batch size
     * 1 only the shortest delay is measured: a batch of one is full at once, so no delay holds it.
     */
    public List<Setting> settings(int workerCount, Load placeholder) {
        return settings(new Pool(workerCount, 0), placeholder);
    }

    /** The points of one pool, as {@link #settings(int, Load)} orders them. */
    public List<Setting> settings(Pool pool, Load placeholder) {
        List<Setting> out = new ArrayList<>();
        List<Load> each = searchesRate() ? List.of(placeholder) : loads;
        for (int b : batchSizes) {
            for (long d : delaysFor(b)) {
                for (Load l : each) {
                    out.add(new Setting(pool.workers(), b, d, l, pool.modelThreads()));
                }
            }
        }
        return out;
    }

    private List<Long> delaysFor(int batchSize) {
        return batchSize == 1 ? List.of(java.util.Collections.min(delaysNanos)) : delaysNanos;
    }

    /** How many points the sweep measures, not counting a rate search's steps. */
    public int size() {
        int combinations = 0;
        for (int b : batchSizes) {
            combinations += delaysFor(b).size();
        }
        return combinations * pools().size() * Math.max(1, loads.size());
    }
}
