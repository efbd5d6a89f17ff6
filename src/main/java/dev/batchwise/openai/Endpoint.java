package dev.batchwise.openai;

import java.util.Locale;

/** The OpenAI endpoints a batch file's line may name in its {@code url}, and what serves each. */
public enum Endpoint {
    /** {@code messages} rendered with the model's chat template, then generated from; a decoder model. */
    CHAT_COMPLETIONS("/v1/chat/completions", true),
    /** A {@code prompt} generated from as it is; a decoder model. */
    COMPLETIONS("/v1/completions", true),
    /** One embedding per {@code input}; an embedding model. */
    EMBEDDINGS("/v1/embeddings", false);

    private final String url;
    private final boolean generates;

    Endpoint(String url, boolean generates) {
        this.url = url;
        this.generates = generates;
    }

    /** The {@code url} a request line names, such as {@code /v1/chat/completions}. */
    public String url() {
        return url;
    }

    /** Whether a decoder model serves it ({@code --task generate}); otherwise an embedding model does. */
    public boolean generates() {
        return generates;
    }

    /** The endpoint a line's {@code url} names, or {@code null} for one batchwise does not serve. */
    public static Endpoint ofUrl(String url) {
        for (Endpoint e : values()) {
            if (e.url.equals(url)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
