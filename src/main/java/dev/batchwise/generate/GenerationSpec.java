package dev.batchwise.generate;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a run generates, as asked: the generation part of a run spec, beside the model's options, for
 * {@code --task generate}. Immutable and serializable; validated once by its {@link Builder}. What it
 * leaves to the run (the max batch size, the prefill token budget) comes from the batching part.
 *
 * @param sampling each record's parameters unless its own fields say otherwise
 * @param seed the run's seed: with a record's position, its random generator's seed
 * @param batching how records share the model's calls
 * @param kvCacheMib the most KV cache one worker holds, in MiB
 * @param tokenIds whether results carry the generated token ids
 */
public record GenerationSpec(SamplingParams sampling, long seed, Batching batching, long kvCacheMib,
        boolean tokenIds) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How records share the model's calls. */
    public enum Batching {
        /** Iteration-level: records join and leave the running set between decoding steps. */
        CONTINUOUS,
        /** A batch is formed and runs until its last member finishes, as Gradio and batched generate do. */
        STATIC;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int DEFAULT_MAX_TOKENS = 16;
    public static final long DEFAULT_KV_CACHE_MIB = GenerationOptions.DEFAULT_KV_CACHE_BYTES >> 20;

    public GenerationSpec {
        Objects.requireNonNull(sampling);
        Objects.requireNonNull(batching);
    }

    /** Every setting at its default. */
    public static GenerationSpec standard() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine's options for a run with this spec. */
    public GenerationOptions options() {
        return new GenerationOptions(sampling, seed, tokenIds, kvCacheMib << 20,
                GenerationOptions.DEFAULT_PREFILL_LOGITS_BYTES);
    }

    /** The settings as given, each field starting at its default; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        /** The most tokens a record generates. */
        public int maxTokens = DEFAULT_MAX_TOKENS;
        /** 0: greedy; above 0, sampling at this temperature (OpenAI's and vLLM's default: 1). */
        public double temperature = 1;
        /** Nucleus sampling, (0, 1]. */
        public double topP = 1;
        /** Keep the k most likely tokens; 0 keeps all. */
        public int topK;
        /** The run's seed. */
        public long seed;
        /** Strings that end a record's text. */
        public List<String> stop = List.of();
        /** Go on past the model's stop tokens. */
        public boolean ignoreEos;
        public Batching batching = Batching.CONTINUOUS;
        /** One worker's KV cache budget, in MiB. */
        public long kvCacheMib = DEFAULT_KV_CACHE_MIB;
        /** Results carry the generated token ids. */
        public boolean tokenIds;

        private Builder() {}

        /** @throws SettingException naming the setting that is out of its range */
        public GenerationSpec build() {
            SettingException.inRange("max-tokens", maxTokens, 1, 1_000_000);
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new SettingException("temperature", Phrase.of("{temperature} must be 0 (greedy) or more, not %s",
                        temperature));
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new SettingException("top-p", Phrase.of("{top-p} must be above 0 and at most 1, not %s", topP));
            }
            SettingException.inRange("top-k", topK, 0, Integer.MAX_VALUE);
            for (String s : stop) {
                if (s.isEmpty()) {
                    throw new SettingException("stop", Phrase.of("{stop}: a stop string must not be empty"));
                }
            }
            if (stop.size() > 4) {
                throw new SettingException("stop", Phrase.of("{stop} takes at most 4 strings, as OpenAI's API does, "
                        + "not %s", stop.size()));
            }
            SettingException.inRange("kv-cache-mb", kvCacheMib, 1, 1L << 30);
            Objects.requireNonNull(batching, "batching");
            SamplingParams p = new SamplingParams(maxTokens, temperature, topP, topK, stop, ignoreEos);
            return new GenerationSpec(p, seed, batching, kvCacheMib, tokenIds);
        }
    }
}
