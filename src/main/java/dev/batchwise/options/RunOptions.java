package dev.batchwise.options;

import picocli.CommandLine.Model.CommandSpec;

/**
 * Every option of {@code batchwise run}, in the sections its help shows: each shared group once,
 * under run's headings. Its model ({@link #model()}) is the list every other front end's options are
 * held to.
 */
public final class RunOptions {

    private RunOptions() {}

    /** run's option groups, afresh for one command. */
    public static OptionSections sections() {
        return new OptionSections()
                .section("Input", new InputOptions(), new InputOptions.Reading(), new InputOptions.Limit())
                .section("Model (the default: --model minilm, sentence embeddings)", new ModelOptions())
                .section("Generation (--task generate)", new GenerationOptions(), new GenerationOptions.TokenIds())
                .section("Embeddings (see docs/embeddings.md)", new EmbeddingOptions(),
                        new EmbeddingOptions.ChunkOutput(), new EmbeddingOptions.Written())
                .section("Function (instead of a model)", new FunctionOptions(), new FunctionOptions.Plugins())
                .section("Arrivals (how the queue sees the records)", new ArrivalOptions(), new ArrivalOptions.Seed())
                .section("Batching", new BatchingOptions.Size(), new BatchingOptions.DelayAndWorkers(),
                        new BatchingOptions.Queue(), new BatchingOptions.Timeout())
                .section("Output", new OutputOptions())
                .section("Failures, interrupts and resuming", new FailureOptions())
                .section("Stats and messages", new MessageOptions.StatsFile(), new MessageOptions.Quiet(),
                        new MessageOptions.NoProgress(), new MessageOptions.Expect(), new MessageOptions.Verbose());
    }

    /** The model of run's options: each with its names, its declaration and what other front ends say of it. */
    public static CommandSpec model() {
        CommandSpec run = CommandSpec.create();
        sections().install(run);
        return run;
    }
}
