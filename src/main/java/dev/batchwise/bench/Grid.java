package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The values a sweep tries, each list in the order given, duplicates dropped. Immutable, validated
 * once. The load is either a list ({@code --concurrency} or {@code --rate}) or, for {@code --rate auto},
 * empty: then each combination's rate is searched for.
 *
 * @param delaysNanos max delays, in nanoseconds
 */
public record Grid(List<Integer> batchSizes, List<Long> delaysNanos, List<Integer> workers, List<Load> loads) {

    public Grid {
        batchSizes = distinct(batchSizes, "--max-batch-size");
        delaysNanos = distinct(delaysNanos, "--max-delay");
        workers = distinct(workers, "--workers");
        loads = List.copyOf(new LinkedHashSet<>(loads));
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
        List<Setting> out = new ArrayList<>();
        List<Load> each = searchesRate() ? List.of(placeholder) : loads;
        for (int b : batchSizes) {
            for (long d : delaysFor(b)) {
                for (Load l : each) {
                    out.add(new Setting(workerCount, b, d, l));
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
        return combinations * workers.size() * Math.max(1, loads.size());
    }
}
