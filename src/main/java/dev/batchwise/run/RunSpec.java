package dev.batchwise.run;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.generate.GenerationSpec;
import dev.batchwise.model.Task;
import dev.batchwise.model.ModelSpec;
import dev.batchwise.output.OutputSpec;
import dev.batchwise.output.Resumable;
import dev.batchwise.pipeline.BatchingSpec;
import dev.batchwise.pipeline.FailureSpec;
import dev.batchwise.pipeline.InputSpec;
import dev.batchwise.pipeline.PipelineConfig;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A whole run, as pure data: the one description of a run for every front end (the command line,
 * {@code bench}, the Spark job, the Java API). Made of parts, each declared where it is used: what is
 * read and how it binds ({@link InputSpec}), the function or model ({@link FunctionSpec}, a model's
 * options in {@link ModelSpec}), the arrivals ({@link ArrivalSpec}), the batching and workers
 * ({@link BatchingSpec}), the failure handling ({@link FailureSpec}), the files written
 * ({@link OutputSpec}) and what is said on standard error ({@link Messages}).
 *
 * <p>Immutable; it holds no loaded function and makes none ({@link RunSession} runs it). Made only by
 * its {@link Builder}, which validates every setting once, in one place: a mistake is a
 * {@link SettingException} that names the setting by its key and carries the data of the mistake, for
 * the front end to name the setting its own way.
 */
public record RunSpec(InputSpec input, FunctionSpec function, ArrivalSpec arrival, BatchingSpec batching,
        FailureSpec failures, OutputSpec output, Messages messages) {

    /**
     * The most model workers by default. On CPU, single-threaded model instances side by side outrun
     * one instance with as many threads (measured on 2 cores at batch 16 to 32: 2 workers x 1 thread
     * about 10% faster than 1 x 2); beyond a few, memory grows faster than throughput.
     */
    public static final int MAX_DEFAULT_MODEL_WORKERS = 4;

    public RunSpec {
        Objects.requireNonNull(input);
        Objects.requireNonNull(function);
        Objects.requireNonNull(arrival);
        Objects.requireNonNull(batching);
        Objects.requireNonNull(failures);
        Objects.requireNonNull(output);
        Objects.requireNonNull(messages);
    }

    /**
     * What a run says on standard error.
     *
     * @param quiet nothing but errors: no stats table, warnings or notices
     * @param showProgress the live progress line, when standard error is a terminal
     */
    public record Messages(boolean quiet, boolean showProgress) {}

    public static Builder builder() {
        return new Builder();
    }

    /** Batches run in parallel, each worker with its own function instance. */
    public int workers() {
        return batching.workers();
    }

    /**
     * What the pipeline runs: this spec's parts, with the loaded function and the workers that run it
     * (the spec's own, or a pool's). The one place a pipeline's configuration is made from a spec.
     */
    public PipelineConfig pipeline(BatchFunctionFactory factory, int workers) {
        return new PipelineConfig(input, factory, arrival, batching, workers, failures, output.format(),
                output.withTiming());
    }

    /** The spec made from {@code settings}' changes to the defaults; see {@link Builder#build()}. */
    public static RunSpec of(Consumer<Builder> settings) {
        Builder b = builder();
        settings.accept(b);
        return b.build();
    }

    /**
     * The settings of a run as given, part by part: each part's builder holds the settings of its part
     * as public fields that start at their defaults, and a new setting goes into the part it belongs to.
     * {@link #build()} checks them all and fills in the rest. Not thread-safe.
     */
    public static final class Builder {
        public final InputSpec.Builder input = InputSpec.builder();
        public final FunctionSpec.Builder function = new FunctionSpec.Builder();
        /** A model's options, used when the function part names no function. */
        public final ModelSpec.Builder model = ModelSpec.builder();
        /** How a decoder generates, for {@code --task generate}. */
        public final GenerationSpec.Builder generation = GenerationSpec.builder();
        /** A model's embedding settings, vector format and cache. */
        public final EmbeddingSpec.Builder embedding = EmbeddingSpec.builder();
        public final ArrivalSpec.Builder arrival = ArrivalSpec.builder();
        public final BatchingSpec.Builder batching = BatchingSpec.builder();
        public final FailureSpec.Builder failures = FailureSpec.builder();
        public final OutputSpec.Builder output = OutputSpec.builder();
        /** Nothing but errors on standard error. */
        public boolean quiet;
        /** The live progress line, when standard error is a terminal. */
        public boolean showProgress;

        private Builder() {}

        /**
         * Checks every setting, and how they go together, and makes the spec.
         *
         * @throws SettingException for the first setting that cannot be used as given
         */
        public RunSpec build() {
            BatchingSpec batchingSpec = batching.build(function.name != null || model.task == Task.GENERATE ? 1 // one running set
                    : Math.min(Runtime.getRuntime().availableProcessors(), MAX_DEFAULT_MODEL_WORKERS));
            ArrivalSpec arrivalSpec = arrival.build();
            ModelSpec modelSpec = model.build();
            InputSpec inputSpec = input.build();
            OutputSpec outputSpec = output.build();
            FailureSpec failureSpec = failures.build();
            EmbeddingSpec embeddingSpec = embedding.build();
            FunctionSpec functionSpec = function.build(modelSpec, generation.build(), embeddingSpec);
            if (embeddingSpec.format() == dev.batchwise.sink.EmbeddingFormat.BASE64 && outputSpec.format().binary()) {
                throw new SettingException("embedding-format", Phrase.of("{embedding-format} base64 is text, for JSON "
                        + "Lines and CSV; %s stores vectors as numbers: choose float, float16, int8 or binary",
                        outputSpec.format().label()));
            }
            if (embeddingSpec.chunkTokens() != null && outputSpec.format() == dev.batchwise.sink.OutputFormat.NPY
                    && embeddingSpec.chunkOutput() == dev.batchwise.model.Chunking.Output.EACH) {
                throw new SettingException("chunk-output", Phrase.of("{chunk-output} each gives each record a list of "
                        + "pieces, and .npy holds one vector per record: use mean, or write JSON Lines or Parquet"));
            }
            inputSpec = ModelFunctions.forModel(functionSpec, inputSpec); // an image model's ids; pictures for text
            Phrase notResumable = outputSpec.resume() ? Resumable.whyNot(outputSpec, inputSpec.inputs()) : null;
            if (notResumable != null) {
                throw new SettingException("resume", notResumable);
            }
            return new RunSpec(inputSpec, functionSpec, arrivalSpec, batchingSpec, failureSpec, outputSpec,
                    new Messages(quiet, showProgress));
        }
    }
}
