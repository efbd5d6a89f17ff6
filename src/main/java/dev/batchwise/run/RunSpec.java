package dev.batchwise.run;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.pipeline.OnError;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole run, as pure data, validated once when it is made: the inputs and how they map to the
 * function's inputs, the function, the arrivals, the batching, the failure handling and the output.
 * Immutable; it holds no loaded function and makes none. {@link RunSession} runs it.
 *
 * @param inputs read in turn; standard input at most once
 * @param format the forced input format, or {@code null} to settle it per input
 * @param mapping {@code --input} pairs: function parameter to column
 * @param idColumn the column that keys output lines, or {@code null} for sequence numbers
 * @param workers batches run in parallel, each worker with its own function instance
 * @param grace how long in-flight batches may take to finish after a stop is requested
 * @param graceText the grace as the user wrote it, for the message at a stop
 * @param limit the most records read, counted over all inputs in order ({@code --limit}); 0 for all
 * @param keep input columns copied into each output line beside the outputs ({@code --keep}), in order
 */
public record RunSpec(List<Input> inputs, InputFormat format, ReaderOptions readerOptions, Map<String, String> mapping,
        String idColumn, FunctionSpec function, ArrivalSpec arrival, Batching batching, int workers, OnError onError,
        Duration grace, String graceText, OutputSettings output, long limit, List<String> keep) {

    /** A run that reads every record and keeps no input column. */
    public RunSpec(List<Input> inputs, InputFormat format, ReaderOptions readerOptions, Map<String, String> mapping,
            String idColumn, FunctionSpec function, ArrivalSpec arrival, Batching batching, int workers,
            OnError onError, Duration grace, String graceText, OutputSettings output) {
        this(inputs, format, readerOptions, mapping, idColumn, function, arrival, batching, workers, onError, grace,
                graceText, output, 0, List.of());
    }

    /**
     * The batching options; the policy also depends on whether the function weighs records (a
     * model counts tokens), which is known once it is loaded.
     *
     * @param maxBatchTokens the most tokens in a batch, or 0 for no limit
     * @param groupByLength {@code null} for the default: on for a weighing function under burst arrivals
     * @param lookahead {@code null} for the default
     * @param timeoutNanos how long a record may wait in the queue; 0 for no limit
     * @param queueCapacity the most records waiting in the queue; when full, intake waits
     */
    public record Batching(int maxBatchSize, long maxDelayNanos, long maxBatchTokens, Boolean groupByLength,
            Integer lookahead, long timeoutNanos, int queueCapacity) {

        public Batching {
            if (lookahead != null && lookahead < maxBatchSize) {
                throw new IllegalArgumentException("--lookahead (" + lookahead + ") must be at least the max batch size ("
                        + maxBatchSize + ")");
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be at least 1, not " + queueCapacity);
            }
        }

        /** The batching policy for a function that does ({@code weighed}) or does not weigh records. */
        public BatchPolicy policy(boolean weighed, ArrivalSpec arrival) {
            boolean group = groupByLength != null ? groupByLength : weighed && arrival instanceof ArrivalSpec.Burst;
            int ahead = lookahead != null ? lookahead
                    : arrival instanceof ArrivalSpec.Burst ? queueCapacity
                    : (int) Math.min(Math.max(1, queueCapacity), 8L * Math.max(1, maxBatchSize));
            return new BatchPolicy(maxBatchSize, maxDelayNanos, maxBatchTokens, group, Math.max(ahead, maxBatchSize),
                    timeoutNanos);
        }
    }

    /**
     * Where the run writes.
     *
     * @param file {@code -o}, or {@code null} for standard output
     * @param errors {@code --errors}, or {@code null}
     * @param statsJson {@code --stats-json}, or {@code null}
     * @param resume continue {@code FILE.partial} left by an interrupted run
     * @param expectRecords the records the output must hold ({@code --expect-records}), or {@code null}
     * @param quiet no stats table, warnings or notices on standard error
     * @param showProgress the live progress line, when standard error is a terminal
     */
    public record OutputSettings(Path file, OutputFormat format, boolean withTiming, Path errors, Path statsJson,
            boolean resume, Long expectRecords, boolean quiet, boolean showProgress) {
        public OutputSettings {
            Objects.requireNonNull(format);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public RunSpec {
        inputs = List.copyOf(inputs);
        mapping = Map.copyOf(mapping);
        keep = List.copyOf(keep);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (none) or more, not " + limit);
        }
        Objects.requireNonNull(readerOptions);
        Objects.requireNonNull(function);
        Objects.requireNonNull(arrival);
        Objects.requireNonNull(batching);
        Objects.requireNonNull(onError);
        Objects.requireNonNull(grace);
        Objects.requireNonNull(graceText);
        Objects.requireNonNull(output);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no inputs");
        }
        if (inputs.stream().filter(Input::isStdin).count() > 1) {
            throw new IllegalArgumentException("standard input ('-') can be given only once");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        batching.policy(false, arrival); // its own checks
    }

    /**
     * The default number of workers: 1 for a function; for a model one per core up to
     * {@code maxModelWorkers}, since single-threaded model instances side by side outrun one with as many
     * threads.
     */
    public static int defaultWorkers(FunctionSpec function, int maxModelWorkers) {
        return function.isModel() ? Math.min(Runtime.getRuntime().availableProcessors(), maxModelWorkers) : 1;
    }
}
