package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every option of {@code batchwise run}, in the sections its help shows: each shared group once, under
 * run's headings (a group with an empty heading continues the section above it). A picocli mixin; its
 * model ({@link #model()}) is the list every other front end's options are held to.
 */
public final class RunOptions implements SpecOptions {

    @ArgGroup(validate = false, heading = "%nInput:%n", order = 1)
    InputOptions input = new InputOptions();

    @ArgGroup(validate = false, heading = "", order = 2)
    InputOptions.Reading reading = new InputOptions.Reading();

    @ArgGroup(validate = false, heading = "", order = 3)
    InputOptions.Limit limit = new InputOptions.Limit();

    @ArgGroup(validate = false, heading = "%nModel (the default: --model minilm, sentence embeddings):%n", order = 4)
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nFunction (instead of a model):%n", order = 5)
    FunctionOptions function = new FunctionOptions();

    @ArgGroup(validate = false, heading = "", order = 6)
    FunctionOptions.Plugins plugins = new FunctionOptions.Plugins();

    @ArgGroup(validate = false, heading = "%nArrivals (how the queue sees the records):%n", order = 7)
    ArrivalOptions arrivals = new ArrivalOptions();

    @ArgGroup(validate = false, heading = "", order = 8)
    ArrivalOptions.Seed seed = new ArrivalOptions.Seed();

    @ArgGroup(validate = false, heading = "%nBatching:%n", order = 9)
    BatchingOptions.Size size = new BatchingOptions.Size();

    @ArgGroup(validate = false, heading = "", order = 10)
    BatchingOptions.DelayAndWorkers delayAndWorkers = new BatchingOptions.DelayAndWorkers();

    @ArgGroup(validate = false, heading = "", order = 11)
    BatchingOptions.Queue queue = new BatchingOptions.Queue();

    @ArgGroup(validate = false, heading = "", order = 12)
    BatchingOptions.Timeout timeout = new BatchingOptions.Timeout();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 13)
    OutputOptions output = new OutputOptions();

    @ArgGroup(validate = false, heading = "%nFailures, interrupts and resuming:%n", order = 14)
    FailureOptions failures = new FailureOptions();

    @ArgGroup(validate = false, heading = "%nStats and messages:%n", order = 15)
    MessageOptions.StatsFile statsFile = new MessageOptions.StatsFile();

    @ArgGroup(validate = false, heading = "", order = 16)
    MessageOptions.Quiet quiet = new MessageOptions.Quiet();

    @ArgGroup(validate = false, heading = "", order = 17)
    MessageOptions.NoProgress noProgress = new MessageOptions.NoProgress();

    @ArgGroup(validate = false, heading = "", order = 18)
    MessageOptions.Expect expect = new MessageOptions.Expect();

    @ArgGroup(validate = false, heading = "", order = 19)
    MessageOptions.Verbose verbose = new MessageOptions.Verbose();

    @Override
    public void applyTo(RunSpec.Builder spec) {
        for (SpecOptions group : List.of(input, reading, limit, model, function, plugins, arrivals, seed, size,
                delayAndWorkers, queue, timeout, output, failures, statsFile, quiet, noProgress, expect)) {
            group.applyTo(spec);
        }
    }

    /** The model of run's options: each with its names, its declaration and what other front ends say of it. */
    public static CommandSpec model() {
        return CommandSpec.forAnnotatedObject(new RunOptions(), CommandLine.defaultFactory());
    }
}
