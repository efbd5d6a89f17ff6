package dev.batchwise.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which question a sweep answers, and the offline sweep's defaults. Offline (the default without a
 * latency budget or a load): the fastest settings for a job that offers every record at once, over
 * max batch size, workers and model threads. Server: the best settings under a load and a budget.
 */
final class BenchMode {

    /** Max batch sizes an offline sweep tries unless told: around run's default of 16. */
    static final String OFFLINE_BATCH_SIZES = "8,16,32,64";

    private BenchMode() {}

    /**
     * The worker counts an offline sweep tries unless told: 1, 2 and 4 up to the cores, and run's own
     * default (so the sweep says whether it is the fastest).
     */
    static List<Integer> offlineWorkers(int cores, int runDefault) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int w : new int[] {1, 2, 4}) {
            if (w <= Math.max(1, cores)) {
                out.add(w);
            }
        }
        out.add(runDefault);
        return new ArrayList<>(out);
    }

    /**
     * The model threads an offline sweep tries for a model unless told: one per worker, and the cores
     * divided among the workers (run's default) for each worker count; the grid leaves out pairs that
     * would need more threads than cores.
     */
    static List<Integer> offlineThreads(List<Integer> workers, int cores) {
        Set<Integer> out = new LinkedHashSet<>();
        out.add(1);
        for (int w : workers) {
            out.add(Math.max(1, cores / w));
        }
        return new ArrayList<>(out);
    }
}
