package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import picocli.CommandLine.Option;

/**
 * How the queue forms batches, in the groups the front ends take: the max batch size ({@link Size}:
 * {@code run} and the Spark job), the max delay and the workers ({@link DelayAndWorkers}: {@code run};
 * {@code bench} sweeps lists of them), length grouping and the queue's capacity ({@link Queue}: all
 * three), and the queue timeout ({@link Timeout}: {@code run} and {@code bench}).
 */
public final class BatchingOptions {

    private BatchingOptions() {}

    public static final class Size implements SpecOptions {
        @Option(names = {"-b", "--max-batch-size"}, paramLabel = "N", defaultValue = "16",
                description = """
                        The most records in one call of the function. Default: ${DEFAULT-VALUE}.""")
        @Refused(bench = "bench sweeps a list of max batch sizes: -b LIST")
        int maxBatchSize;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.batching.maxBatchSize = maxBatchSize;
        }
    }

    @Refused(spark = "a partition's records are all at hand, and each task runs one worker: spread the records over "
            + "more tasks with --partitions")
    public static final class DelayAndWorkers implements SpecOptions {
        @Option(names = "--max-delay", paramLabel = "DURATION", defaultValue = "0",
                description = """
                        How long to hold a partial batch for more records, counted from the arrival of the oldest \
                        waiting record (as Triton does). 0 (default): send what is pending at once, never wait (as \
                        Gradio does).""")
        @Refused(bench = "bench sweeps a list of max delays: --max-delay LIST",
                spark = "a partition's records are all at hand: a partial batch has no records to wait for")
        String maxDelay;

        @Option(names = {"-w", "--workers"}, paramLabel = "N",
                description = """
                        Batches run in parallel, each worker with its own function or model instance (Gradio's \
                        concurrency_limit). Default: 1 for a --fn function and for --task generate (one running \
                        set batches best); for another model, one per core up to 4 (on CPU, separate \
                        single-threaded instances outrun one multi-threaded one).""")
        @Refused(bench = "bench sweeps a list of worker counts: -w LIST")
        Integer workers;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.batching.maxDelayNanos = Values.duration("max-delay", maxDelay).toNanos();
            spec.batching.workers = workers;
        }
    }

    public static final class Queue implements SpecOptions {
        @Option(names = "--group-by-length", negatable = true,
                description = """
                        Pick each batch's records among the pending ones of similar token length, so batches waste \
                        less on padding (the oldest record always goes first; output order is unchanged). Default: \
                        on for models under burst arrival, off otherwise.""")
        Boolean groupByLength;

        @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "0",
                description = """
                        Cap a batch's tokens, counting padding (records x longest record), as \
                        text-embeddings-inference does; a longer record still goes, alone. 0 (default): no cap.""")
        long maxBatchTokens;

        @Option(names = "--lookahead", paramLabel = "N",
                description = """
                        How many pending records length grouping may choose from; no record waits behind more than \
                        this many. Default: the whole queue under burst arrival, else 8 x the max batch size.""")
        Integer lookahead;

        @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "1024",
                description = """
                        The most records waiting in the queue; when full, reading waits (never drops). An image \
                        model's queue also holds at most 64 MiB of prepared pictures. Default: ${DEFAULT-VALUE}.""")
        int queueCapacity;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.batching.groupByLength = groupByLength;
            spec.batching.maxBatchTokens = maxBatchTokens;
            spec.batching.lookahead = lookahead;
            spec.batching.queueCapacity = queueCapacity;
        }
    }

    @Refused(spark = "a partition's records are all at hand: none waits in the queue for long")
    public static final class Timeout implements SpecOptions {
        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0",
                description = """
                        A record that has waited in the queue longer than this is not run: it fails with "timed out \
                        after X in queue" (Triton's REJECT policy). 0 (default): no limit.""")
        String timeout;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.batching.timeoutNanos = Values.duration("timeout", timeout).toNanos();
        }
    }
}
