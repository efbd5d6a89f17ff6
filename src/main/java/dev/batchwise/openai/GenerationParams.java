package dev.batchwise.openai;

import java.util.List;

/**
 * The generation parameters of one chat or completion request, as its body gives them. A field the
 * body leaves out (or sets to {@code null}) is {@code null} here: the run's default applies, as the
 * generation records of other inputs have it.
 *
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}: the most tokens each choice
 *     generates, at least 1
 * @param temperature 0 to 2; 0 is greedy decoding
 * @param topP above 0, at most 1
 * @param topK vLLM's extension: keep the k most likely tokens, 0 for all
 * @param seed the seed of the request's random generators (choice {@code i} gets its own, derived from
 *     this seed and {@code i})
 * @param stop up to 4 non-empty strings that end a choice; empty when none
 * @param n how many choices to generate, 1 to 128 (never {@code null}: 1 when not given)
 * @param ignoreEos vLLM's extension: go on past the model's stop tokens
 */
public record GenerationParams(Integer maxTokens, Double temperature, Double topP, Integer topK, Long seed,
        List<String> stop, int n, Boolean ignoreEos) {

    public GenerationParams {
        stop = List.copyOf(stop);
    }
}
