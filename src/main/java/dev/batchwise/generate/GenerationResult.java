package dev.batchwise.generate;

/**
 * What one record's generation produced.
 *
 * @param text the generated text, special tokens left out, cut before a stop string that ended it
 * @param finishReason {@code stop} (a stop token or a stop string) or {@code length} ({@code max_tokens},
 *     or the model's last position)
 * @param promptTokens the prompt's tokens
 * @param completionTokens the generated tokens, a stop token that ended the generation included
 * @param tokenIds the generated token ids when the request asked for them, else {@code null}
 */
public record GenerationResult(String text, String finishReason, int promptTokens, int completionTokens,
        int[] tokenIds) {

    public static final String STOP = "stop";
    public static final String LENGTH = "length";
}
