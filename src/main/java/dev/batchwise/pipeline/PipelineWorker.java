package dev.batchwise.pipeline;

import dev.batchwise.stats.StageStats;

/**
 * A worker thread's body: takes records from the queue until it is closed and empty, runs them through
 * its own function instance, and hands the results to the ordered sink.
 */
interface PipelineWorker extends Runnable {

    /** What it recorded; final once {@link #finished()}. */
    StageStats stats();

    /** Whether {@link #run()} has returned, so its stats are final. */
    boolean finished();
}
