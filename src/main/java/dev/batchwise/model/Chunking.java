package dev.batchwise.model;

import java.util.Locale;

/**
 * Whether and how a record longer than one model input is split: into pieces of {@code tokens}
 * tokens of its text (special tokens and the prefix come on top, in every piece), each starting
 * {@code overlapTokens} before the previous one ends. Without chunking (the default) a long record is
 * truncated to the model's max length and counted as truncated.
 *
 * @param tokens text tokens per piece; 0 for as many as fit the model's max length with the special
 *     tokens and the prefix
 * @param overlapTokens tokens each piece repeats from the end of the previous one
 */
public record Chunking(boolean enabled, int tokens, int overlapTokens, Output output) {

    /** Truncation, not chunking. */
    public static final Chunking OFF = new Chunking(false, 0, 0, Output.MEAN);

    /** What a chunked record's output is. */
    public enum Output {
        /** One vector: the mean of its pieces' vectors, then scaled to unit length when normalising. */
        MEAN,
        /** Every piece: its index, its character offsets in the text and its vector. */
        EACH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    public Chunking {
        if (tokens < 0 || overlapTokens < 0) {
            throw new IllegalArgumentException("chunk size and overlap must not be negative");
        }
        if (tokens > 0 && overlapTokens >= tokens) {
            throw new IllegalArgumentException("the chunk overlap (" + overlapTokens + " tokens) must be less than the "
                    + "chunk size (" + tokens + " tokens)");
        }
        if (output == null) {
            throw new IllegalArgumentException("chunk output missing");
        }
    }

    /** Chunking into pieces of {@code tokens} (0: as many as fit) with {@code overlapTokens} of overlap. */
    public static Chunking of(int tokens, int overlapTokens, Output output) {
        return new Chunking(true, tokens, overlapTokens, output);
    }

    /** How the stats and the cache key describe it. */
    public String describe() {
        return enabled ? "chunk " + (tokens == 0 ? "window" : Integer.toString(tokens)) + " overlap " + overlapTokens
                + " output " + output.label() : "truncate";
    }
}
