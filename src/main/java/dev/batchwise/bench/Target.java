package dev.batchwise.bench;

/**
 * What a sweep measures: a function whose instances are loaded once per worker count and then
 * serve one point after another. The sweep declares it; the pipeline-backed implementation is
 * {@link RunTarget}, and tests use their own.
 */
public interface Target {

    /** Loads {@code workers} instances of the function; they serve every point of that worker count. */
    Workers load(int workers) throws Exception;

    /** Loads a pool's instances: {@code pool.workers()} of them, each with its model threads (0: as the run says). */
    default Workers load(Grid.Pool pool) throws Exception {
        if (pool.modelThreads() != 0) {
            throw new UnsupportedOperationException("this target does not vary model threads");
        }
        return load(pool.workers());
    }

    /** Loaded instances; closing them releases the function (a model). */
    interface Workers extends AutoCloseable {

        /** How long loading took, reported once per worker count, never inside a point. */
        long loadNanos();

        /**
         * Runs one point: records cycled from the inputs under {@code setting}'s batching and load,
         * measured as {@code plan} says (warm-up discarded, then windows), until its meter is done.
         */
        PointResult run(Setting setting, PointMeter.Plan plan) throws Exception;

        /**
         * Runs one visit of a point that earlier visits measured {@code prior} windows of: it ends
         * early once those and its own are stable (judged on p99 too when {@code latencyCounts}).
         */
        default PointResult run(Setting setting, PointMeter.Plan plan, java.util.List<Window> prior,
                boolean latencyCounts) throws Exception {
            return run(setting, plan);
        }

        @Override
        void close();
    }
}
