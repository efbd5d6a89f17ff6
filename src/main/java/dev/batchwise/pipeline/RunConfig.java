package dev.batchwise.pipeline;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run needs, validated once. Immutable.
 *
 * @param inputs the inputs, read in turn; standard input at most once; none when code hands the
 *     records over ({@link Pipeline#run(dev.batchwise.source.RecordStream, dev.batchwise.sink.ResultWriter, List)})
 * @param format the forced input format, or {@code null} to settle it per input
 * @param inputMapping {@code --input} pairs: function parameter to column
 * @param idColumn the column that keys output lines, or {@code null} for sequence numbers
 * @param workers batches run in parallel, each worker with its own function instance
 * @param queueCapacity the most records waiting in the queue; when full, intake waits
 * @param grace how long in-flight batches may take to finish after a stop is requested
 * @param onError whether a failed record stops the run
 * @param limit the most records read, counted over all inputs in order ({@code --limit}); 0 for all
 * @param keep input columns copied into each output line beside the outputs ({@code --keep}), in order
 */
public record RunConfig(
        List<Input> inputs,
        InputFormat format,
        ReaderOptions readerOptions,
        BatchFunctionFactory function,
        Map<String, String> inputMapping,
        String idColumn,
        ArrivalSpec arrival,
        BatchPolicy policy,
        int workers,
        int queueCapacity,
        OutputFormat outputFormat,
        boolean withTiming,
        Duration grace,
        OnError onError,
        long limit,
        List<String> keep) {

    public RunConfig {
        keep = List.copyOf(keep);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (none) or more, not " + limit);
        }
        inputs = List.copyOf(inputs);
        inputMapping = Map.copyOf(inputMapping);
        Objects.requireNonNull(readerOptions);
        Objects.requireNonNull(function);
        Objects.requireNonNull(arrival);
        Objects.requireNonNull(policy);
        Objects.requireNonNull(outputFormat);
        Objects.requireNonNull(grace);
        Objects.requireNonNull(onError);
        if (inputs.stream().filter(dev.batchwise.source.Input::isStdin).count() > 1) {
            throw new IllegalArgumentException("standard input (-) can be read only once");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, not " + queueCapacity);
        }
    }

    /** A config that reads every record and keeps no input column. */
    public RunConfig(List<Input> inputs, InputFormat format, ReaderOptions readerOptions, BatchFunctionFactory function,
            Map<String, String> inputMapping, String idColumn, ArrivalSpec arrival, BatchPolicy policy, int workers,
            int queueCapacity, OutputFormat outputFormat, boolean withTiming, Duration grace, OnError onError) {
        this(inputs, format, readerOptions, function, inputMapping, idColumn, arrival, policy, workers, queueCapacity,
                outputFormat, withTiming, grace, onError, 0, List.of());
    }

    /** A config where failed records do not stop the run. */
    public RunConfig(List<Input> inputs, InputFormat format, ReaderOptions readerOptions, BatchFunctionFactory function,
            Map<String, String> inputMapping, String idColumn, ArrivalSpec arrival, BatchPolicy policy, int workers,
            int queueCapacity, OutputFormat outputFormat, boolean withTiming, Duration grace) {
        this(inputs, format, readerOptions, function, inputMapping, idColumn, arrival, policy, workers, queueCapacity,
                outputFormat, withTiming, grace, OnError.CONTINUE);
    }

    /**
     * The reorder window: room for a full queue, every worker's batch and every closed-loop client,
     * twice over, so a batch that finishes late holds the others back only once the window is full.
     */
    public int reorderWindow() {
        long inFlight = (long) queueCapacity + (long) workers * policy.maxBatchSize();
        if (arrival instanceof ArrivalSpec.ClosedLoop c) {
            inFlight += c.clients();
        }
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(4096, 2 * inFlight));
    }
}
