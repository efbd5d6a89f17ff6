package dev.batchwise.sink;

import java.util.Locale;

/**
 * How an embedding vector is written, as sentence-transformers' {@code quantize_embeddings} defines
 * its precisions and OpenAI its {@code base64} encoding.
 */
public enum EmbeddingFormat {
    /** 32-bit floats, as the model computed them. */
    FLOAT,
    /** Each element rounded to half precision, ties to even ({@link Float16Vector}). */
    FLOAT16,
    /**
     * One signed byte per dimension: {@code (x - min) / ((max - min) / 255) - 128}, truncated toward
     * zero and kept within -128..127, with per-dimension ranges ({@link EmbeddingEncoder}).
     */
    INT8,
    /**
     * The sign bits, eight dimensions per byte, first dimension in the high bit (numpy's
     * {@code packbits} of {@code x > 0}), each byte minus 128 as a signed byte.
     */
    BINARY,
    /** The 32-bit little-endian floats in standard base64, as one string (OpenAI's {@code encoding_format}). */
    BASE64;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
