package dev.batchwise.openai;

/**
 * One input of an embeddings request: a text, or token ids already made by the model's tokenizer.
 *
 * @param text the text, or {@code null} when the request gave token ids
 * @param tokenIds the token ids, or {@code null} when the request gave a text
 */
public record EmbeddingInput(String text, int[] tokenIds) {

    public EmbeddingInput {
        if ((text == null) == (tokenIds == null)) {
            throw new IllegalArgumentException("an input has either a text or token ids");
        }
        tokenIds = tokenIds == null ? null : tokenIds.clone();
    }

    public static EmbeddingInput ofText(String text) {
        return new EmbeddingInput(text, null);
    }

    public static EmbeddingInput ofTokens(int[] ids) {
        return new EmbeddingInput(null, ids);
    }

    public boolean isText() {
        return text != null;
    }

    /** The token ids (a copy), or {@code null}. */
    @Override
    public int[] tokenIds() {
        return tokenIds == null ? null : tokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingInput e && java.util.Objects.equals(text, e.text)
                && java.util.Arrays.equals(tokenIds, e.tokenIds);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(text, java.util.Arrays.hashCode(tokenIds));
    }

    @Override
    public String toString() {
        return text != null ? "text(" + text.length() + " chars)" : "tokens(" + tokenIds.length + ")";
    }
}
