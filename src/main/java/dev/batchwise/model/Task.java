package dev.batchwise.model;

import java.util.Locale;

/** What a text model's output is turned into. */
public enum Task {
    /**
     * A sentence embedding: the token vectors averaged over the attention mask and scaled to unit
     * length, as sentence-transformers does. A model whose output is already one vector per record
     * has it scaled to unit length only.
     */
    EMBED,
    /** Class probabilities: softmax over the logits, labelled from config.json's {@code id2label}. */
    CLASSIFY,
    /** The model's first output as numbers, one entry per record; per-token outputs are cut to the record's tokens. */
    RAW;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
