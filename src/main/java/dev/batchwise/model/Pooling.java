package dev.batchwise.model;

import java.util.Locale;

/**
 * How a text model's per-token vectors become one vector per record (sentence-transformers'
 * {@code Pooling} modes of the same names).
 */
public enum Pooling {
    /** The mean of the record's real tokens (the attention mask), special tokens included. */
    MEAN,
    /** The first token's vector ({@code [CLS]}). */
    CLS,
    /** The last real token's vector (decoder models; padding is on the right). */
    LAST,
    /** None: the model's output is already one vector per record ({@code [batch, dims]}). */
    NONE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The pooling of that name, or {@code null}. */
    public static Pooling byLabel(String label) {
        for (Pooling p : values()) {
            if (p.label().equals(label.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return label();
    }
}
