package dev.batchwise.options;

import dev.batchwise.generate.GenerationSpec;
import dev.batchwise.run.RunSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code --task generate} generates, in run and, as a fixed setting of every point, in bench: each
 * record's defaults (a record's own fields override them), the batching and the KV cache budget. {@code --top-k} and {@code --seed} are shared with classify and
 * the arrivals ({@link ModelOptions}, {@link ArrivalOptions.Seed}).
 */
@Refused(spark = GenerationOptions.NOT_IN_SPARK)
public final class GenerationOptions implements SpecOptions {

    static final String NOT_IN_SPARK = "a record's sampling is seeded from its position in the whole input, and a Spark "
            + "task knows only its position in its partition, so its text would change with the partitioning; and "
            + "the job's executors share loaded text models only: run batchwise run --task generate";

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "16",
            description = """
                    The most tokens each record generates (a record's max_tokens field overrides it). Default: \
                    ${DEFAULT-VALUE}.""")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            description = """
                    0: greedy (the most likely token every time: the same text whatever the batching); above 0: \
                    sample, each record with its own generator seeded from --seed and its position. Default: \
                    ${DEFAULT-VALUE}, as OpenAI's and vLLM's.""")
    double temperature;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1",
            description = """
                    Nucleus sampling: keep the most likely tokens whose probabilities add up to P. Default: \
                    ${DEFAULT-VALUE} (all).""")
    double topP;

    @Option(names = "--stop", paramLabel = "TEXT",
            description = """
                    A string that ends a record's text (cut before it); repeat for up to 4.""")
    List<String> stop = new ArrayList<>();

    @Option(names = "--ignore-eos",
            description = """
                    Go on past the model's stop tokens, to max tokens (for benchmarks with controlled lengths).""")
    boolean ignoreEos;

    @Option(names = "--batching", paramLabel = "MODE", defaultValue = "continuous", completionCandidates = Batchings.class,
            description = """
                    continuous (default): records join and leave the running set between decoding steps, up to \
                    --max-batch-size running and --max-batch-tokens of prompt per step. static: a batch runs until \
                    its last record finishes (Gradio's way; to compare).""")
    String batching;

    @Option(names = "--kv-cache-mb", paramLabel = "MIB",
            description = """
                    The KV cache one worker may hold, in MiB; a record that cannot fit even alone fails alone, one \
                    that fits later waits. Default: 1024.""")
    Long kvCacheMib;


    /** {@code --batching}'s values, for completion. */
    public static final class Batchings implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(GenerationSpec.Batching.values()).map(String::valueOf).iterator();
        }
    }

    @Override
    public void applyTo(RunSpec.Builder spec) {
        GenerationSpec.Builder g = spec.generation;
        g.maxTokens = maxTokens;
        g.temperature = temperature;
        g.topP = topP;
        g.stop = List.copyOf(stop);
        g.ignoreEos = ignoreEos;
        g.batching = Values.choice("batching", batching, GenerationSpec.Batching.class, "");
        if (kvCacheMib != null) {
            g.kvCacheMib = kvCacheMib;
        }
    }

    /** What generation writes besides the text: run's alone (bench writes no output lines). */
    @Refused(bench = "bench writes no output lines: it measures tokens, time to first token and per output token",
            spark = NOT_IN_SPARK)
    public static final class TokenIds implements SpecOptions {
        @Option(names = "--token-ids",
                description = """
                        Also write each record's generated token ids ('token_ids').""")
        boolean tokenIds;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.generation.tokenIds = tokenIds;
        }
    }
}
