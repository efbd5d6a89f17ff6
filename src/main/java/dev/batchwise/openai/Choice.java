package dev.batchwise.openai;

import java.util.Objects;

/**
 * One generated choice of a chat or completion answer.
 *
 * @param text the generated text (special tokens left out, cut before a stop string that ended it)
 * @param finishReason {@code stop} or {@code length}
 * @param completionTokens the tokens this choice generated, a stop token that ended it included
 */
public record Choice(String text, String finishReason, int completionTokens) {

    public Choice {
        Objects.requireNonNull(text);
        if (!finishReason.equals("stop") && !finishReason.equals("length")) {
            throw new IllegalArgumentException("finish_reason is stop or length, not " + finishReason);
        }
        if (completionTokens < 0) {
            throw new IllegalArgumentException("completion tokens: " + completionTokens);
        }
    }
}
