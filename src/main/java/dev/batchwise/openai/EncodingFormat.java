package dev.batchwise.openai;

import java.util.Locale;

/** How an embeddings response writes each vector: {@code encoding_format}. */
public enum EncodingFormat {
    /** A JSON array of numbers. */
    FLOAT,
    /** A string: base64 of the vector's float32 values, little-endian, as OpenAI's service writes it. */
    BASE64;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
