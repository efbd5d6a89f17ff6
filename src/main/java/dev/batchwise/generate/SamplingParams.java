package dev.batchwise.generate;

import java.util.List;

/**
 * How one record is generated: OpenAI's and vLLM's parameters, validated once when made.
 *
 * @param maxTokens the most tokens to generate, at least 1
 * @param temperature 0 for greedy decoding (the most likely token at every step); above 0, sampling
 * @param topP nucleus sampling: keep the most likely tokens whose probabilities add up to this, (0, 1]
 * @param topK keep the k most likely tokens; 0 keeps all
 * @param stop strings that end the generation when the text contains one; the text is cut before it
 * @param ignoreEos go on past the model's stop tokens (vLLM's {@code ignore_eos}, for benchmarks
 *     with controlled lengths)
 */
public record SamplingParams(int maxTokens, double temperature, double topP, int topK, List<String> stop,
        boolean ignoreEos) implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final SamplingParams GREEDY = new SamplingParams(16, 0, 1, 0, List.of(), false);

    public SamplingParams {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, not " + maxTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 (greedy) or more, not " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be above 0 and at most 1, not " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be 0 (no limit) or more, not " + topK);
        }
        stop = List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("a stop string must not be empty");
            }
        }
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public SamplingParams withMaxTokens(int n) {
        return new SamplingParams(n, temperature, topP, topK, stop, ignoreEos);
    }

    public SamplingParams withTemperature(double t) {
        return new SamplingParams(maxTokens, t, topP, topK, stop, ignoreEos);
    }

    public SamplingParams withTopP(double p) {
        return new SamplingParams(maxTokens, temperature, p, topK, stop, ignoreEos);
    }

    public SamplingParams withTopK(int k) {
        return new SamplingParams(maxTokens, temperature, topP, k, stop, ignoreEos);
    }

    public SamplingParams withStop(List<String> s) {
        return new SamplingParams(maxTokens, temperature, topP, topK, s, ignoreEos);
    }

    public SamplingParams withIgnoreEos(boolean ignore) {
        return new SamplingParams(maxTokens, temperature, topP, topK, stop, ignore);
    }
}
