package dev.batchwise.generate;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record to generate for: its prompt, as text (tokenized by the model's tokenizer, with the
 * special tokens its post-processor adds) or as token ids, how to generate, and the seed of its own
 * random generator.
 *
 * <p>This is what every way of giving a prompt comes down to: a text line, a {@code prompt} column
 * with per-record fields ({@link RequestFields}), and later chat messages rendered by the model's
 * chat template, or an OpenAI batch line's body.
 *
 * @param promptText the prompt as text, or {@code null} when {@code promptIds} are given
 * @param promptIds the prompt as token ids, or {@code null} when {@code promptText} is given
 * @param seed the seed of this record's random generator ({@link Seeds#forRecord}); used only when
 *     sampling. Never derived from batch-mates.
 * @param returnTokenIds whether the result carries the generated token ids
 */
public record GenerationRequest(String promptText, int[] promptIds, SamplingParams params, long seed,
        boolean returnTokenIds) {

    public GenerationRequest {
        if ((promptText == null) == (promptIds == null)) {
            throw new IllegalArgumentException("a prompt is either text or token ids");
        }
        if (promptIds != null) {
            if (promptIds.length == 0) {
                throw new IllegalArgumentException("the prompt has no tokens");
            }
            promptIds = promptIds.clone();
        }
        Objects.requireNonNull(params, "params");
    }

    public static GenerationRequest text(String prompt, SamplingParams params, long seed) {
        return new GenerationRequest(prompt, null, params, seed, false);
    }

    public static GenerationRequest tokens(int[] ids, SamplingParams params, long seed) {
        return new GenerationRequest(null, ids, params, seed, false);
    }

    public GenerationRequest withTokenIds(boolean on) {
        return new GenerationRequest(promptText, promptIds, params, seed, on);
    }

    @Override
    public int[] promptIds() {
        return promptIds == null ? null : promptIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r && Objects.equals(promptText, r.promptText)
                && Arrays.equals(promptIds, r.promptIds) && params.equals(r.params) && seed == r.seed
                && returnTokenIds == r.returnTokenIds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(promptText, Arrays.hashCode(promptIds), params, seed, returnTokenIds);
    }

    @Override
    public String toString() {
        return "GenerationRequest[" + (promptText != null ? "text of " + promptText.length() + " chars"
                : promptIds.length + " token ids") + ", " + params + ", seed " + seed + "]";
    }
}
