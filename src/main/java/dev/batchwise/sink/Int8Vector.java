package dev.batchwise.sink;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A vector of signed bytes: sentence-transformers' {@code int8} (one per dimension) or
 * {@code binary} (eight dimensions per byte, packed) quantisation. Written to JSON as numbers from
 * -128 to 127, to {@code .npy} as {@code |i1} and to Parquet as 8-bit integers.
 */
public record Int8Vector(byte[] values) {

    @JsonValue
    public int[] ints() {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
