package dev.batchwise.pipeline;

import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.batching.BlockingBatchQueue;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.Signature;
import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.stats.StageStats;
import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes a run's workers: a stepped worker for a function whose records join and leave between
 * steps, else a batch worker.
 */
final class PipelineWorkers {

    private PipelineWorkers() {}

    /**
     * One worker per function instance, all taking from {@code queue} and writing to {@code sink}; the
     * stepped ones share one admission lock, so that each record is admitted once.
     */
    static List<PipelineWorker> of(List<BatchFunction> functions, PipelineConfig config, BatchPolicy policy,
            BlockingBatchQueue<Request> queue, OrderedSink<Result> sink, Worker.Completions completions, Clock clock) {
        Signature signature = config.function().signature();
        String name = config.function().name();
        ReentrantLock admission = new ReentrantLock();
        List<PipelineWorker> workers = new ArrayList<>();
        for (BatchFunction f : functions) {
            if (f instanceof SteppedBatchFunction stepped) {
                workers.add(new SteppedWorker(name, signature.outputs(), stepped, queue, sink, config.outputFormat(),
                        completions, new StageStats(policy.maxBatchSize()), clock, policy.queueTimeoutNanos(),
                        policy.maxBatchSize(), policy.maxBatchWeight(), admission));
            } else {
                workers.add(new Worker(name, signature.inputs().size(), signature.outputs(), f, queue, sink,
                        config.outputFormat(), completions, new StageStats(policy.maxBatchSize()), clock,
                        policy.queueTimeoutNanos()));
            }
        }
        return workers;
    }
}
