package dev.batchwise.sink;

import dev.batchwise.result.TextChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Puts a function's vectors into an {@link EmbeddingFormat}: each {@code float[]} output, and the
 * vector of each {@link TextChunk} of a list of them; other values pass unchanged. Immutable, so a
 * worker may call it outside the sink's lock; a record's encoding never depends on other records.
 *
 * <p>{@code int8} needs a range per dimension. sentence-transformers takes it from calibration
 * embeddings (their minimum and maximum per dimension), else from the batch at hand, which would make
 * a record's bytes depend on its batch-mates; here the ranges are fixed for the run: given (see
 * {@link #int8(float[], float[])}), else {@code [-1, 1]} in every dimension, which holds every
 * component of a unit vector.
 */
public final class EmbeddingEncoder {

    private final EmbeddingFormat format;
    private final float[] min;
    private final float[] max;

    private EmbeddingEncoder(EmbeddingFormat format, float[] min, float[] max) {
        this.format = format;
        this.min = min;
        this.max = max;
    }

    /** An encoder to {@code format}; {@code int8} with the range [-1, 1] in every dimension. */
    public static EmbeddingEncoder of(EmbeddingFormat format) {
        return new EmbeddingEncoder(format, null, null);
    }

    /**
     * {@code int8} with each dimension's range, as sentence-transformers' {@code ranges} (row 0 the
     * minimum, row 1 the maximum); values outside it are kept at -128 or 127.
     */
    public static EmbeddingEncoder int8(float[] min, float[] max) {
        if (min.length != max.length) {
            throw new IllegalArgumentException("int8 ranges: " + min.length + " minimums but " + max.length + " maximums");
        }
        return new EmbeddingEncoder(EmbeddingFormat.INT8, min.clone(), max.clone());
    }

    public EmbeddingFormat format() {
        return format;
    }

    /** @throws IllegalArgumentException for a vector whose length the int8 ranges do not have */
    public Object encode(Object value) {
        if (format == EmbeddingFormat.FLOAT) {
            return value;
        }
        if (value instanceof float[] v) {
            return vector(v);
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof TextChunk) {
            List<TextChunk> out = new ArrayList<>(list.size());
            for (Object o : list) {
                TextChunk c = (TextChunk) o;
                out.add(c.withEmbedding(c.embedding() instanceof float[] v ? vector(v) : c.embedding()));
            }
            return out;
        }
        return value;
    }

    private Object vector(float[] v) {
        return switch (format) {
            case FLOAT -> v;
            case FLOAT16 -> Float16Vector.of(v);
            case INT8 -> new Int8Vector(int8(v));
            case BINARY -> new Int8Vector(binary(v));
            case BASE64 -> base64(v);
        };
    }

    private byte[] int8(float[] v) {
        if (min != null && min.length != v.length) {
            throw new IllegalArgumentException("the int8 ranges have " + min.length + " dimensions; the vector has "
                    + v.length);
        }
        byte[] out = new byte[v.length];
        for (int d = 0; d < v.length; d++) {
            float lo = min == null ? -1f : min[d];
            float hi = max == null ? 1f : max[d];
            float step = (hi - lo) / 255;
            double q = step == 0 ? -128 : (v[d] - lo) / step - 128;
            out[d] = (byte) (long) Math.max(-128, Math.min(127, q)); // toward zero, as numpy's astype
        }
        return out;
    }

    static byte[] binary(float[] v) {
        byte[] out = new byte[(v.length + 7) / 8];
        for (int d = 0; d < v.length; d++) {
            if (v[d] > 0) {
                out[d >> 3] |= (byte) (0x80 >>> (d & 7));
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ((out[i] & 0xff) - 128);
        }
        return out;
    }

    static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
