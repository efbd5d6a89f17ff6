package dev.batchwise.model;

import java.util.Locale;

/** What a text model's output is turned into. */
public enum Task {
    /**
     * A sentence embedding: the token vectors pooled (by default averaged over the attention mask)
     * and scaled to unit length, as sentence-transformers does; {@link EmbedSettings} says how. A
     * model whose output is already one vector per record has it taken as it is.
     */
    EMBED,
    /** Class probabilities: softmax over the logits, labelled from config.json's {@code id2label}. */
    CLASSIFY,
    /** The model's first output as numbers, one entry per record; per-token outputs are cut to the record's tokens. */
    RAW,
    /**
     * A relevance score per text pair ({@code text}, {@code text_pair}) from a cross-encoder: the
     * sigmoid of its one logit, or the softmax probability of its positive class.
     */
    SCORE,
    /**
     * Text generated from a prompt by a decoder model (its directory holds
     * {@code generation_config.json}); run by the {@code generate} package, not by a text model.
     */
    GENERATE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
