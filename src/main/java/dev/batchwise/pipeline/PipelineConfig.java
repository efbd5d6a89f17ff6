package dev.batchwise.pipeline;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.sink.OutputFormat;
import java.util.List;
import java.util.Objects;

/**
 * What one pipeline run needs: the parts of a run spec it acts on, as they are (not copies), with the
 * loaded function and the number of workers. Immutable. A run spec makes it
 * ({@code RunSpec.pipeline}); records that code hands over get {@link #handedOver}.
 *
 * @param function the loaded function's factory, which makes each worker's instance
 * @param workers how many workers run batches, one function instance each
 * @param outputFormat the format output lines are written in (values are prepared for it by the workers)
 * @param withTiming whether output lines carry each record's timing
 */
public record PipelineConfig(InputSpec input, BatchFunctionFactory function, ArrivalSpec arrival,
        BatchingSpec batching, int workers, FailureSpec failures, OutputFormat outputFormat, boolean withTiming) {

    public PipelineConfig {
        Objects.requireNonNull(input);
        Objects.requireNonNull(function);
        Objects.requireNonNull(arrival);
        Objects.requireNonNull(batching);
        Objects.requireNonNull(failures);
        Objects.requireNonNull(outputFormat);
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
    }

    /**
     * A run of records that code hands over ({@code Batchwise.map}): no inputs, every record as soon as
     * it is read, failures written and the run going on, no time for a stop.
     */
    public static PipelineConfig handedOver(BatchFunctionFactory function, BatchingSpec batching, int workers) {
        InputSpec.Builder input = InputSpec.builder();
        input.handedOver = true;
        FailureSpec.Builder failures = FailureSpec.builder();
        failures.grace = java.time.Duration.ZERO;
        return new PipelineConfig(input.build(), function, new ArrivalSpec.Burst(), batching, workers,
                failures.build(), OutputFormat.JSONL, false);
    }

    /** The batching policy: the spec's, for this function (does it weigh records?) and these arrivals. */
    public BatchPolicy policy() {
        return batching.policy(function instanceof RecordPreparer, arrival);
    }

    /**
     * The most bytes of prepared records waiting in the queue: 64 MiB, about 110 pictures of a
     * 224 x 224 model, where the default queue of 1024 would hold 600 MB of them.
     */
    public static final long MAX_QUEUED_PREPARED_BYTES = 64L << 20;

    /**
     * The most records waiting in the queue: the spec's capacity, and, for a function whose prepared
     * records are large ({@link RecordPreparer#preparedBytes()}), no more than
     * {@link #MAX_QUEUED_PREPARED_BYTES} of them, though always room for one batch.
     */
    public int queueCapacity() {
        long bytes = function instanceof RecordPreparer p ? p.preparedBytes() : 0;
        if (bytes <= 0) {
            return batching.queueCapacity();
        }
        long byBytes = Math.max(batching.maxBatchSize(), MAX_QUEUED_PREPARED_BYTES / bytes);
        return (int) Math.min(batching.queueCapacity(), byBytes);
    }

    /** The input columns copied into each output line. */
    List<String> keep() {
        return input.keep();
    }

    /**
     * The reorder window: room for a full queue, every worker's batch and every closed-loop client,
     * twice over, so a batch that finishes late holds the others back only once the window is full.
     */
    public int reorderWindow() {
        long inFlight = (long) queueCapacity() + (long) workers * batching.maxBatchSize();
        if (arrival instanceof ArrivalSpec.ClosedLoop c) {
            inFlight += c.clients();
        }
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(4096, 2 * inFlight));
    }
}
