package dev.batchwise.openai;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/** An embedding as an answer writes it with {@code encoding_format: base64}. */
public final class Vectors {

    private Vectors() {}

    /** Base64 (RFC 4648, with padding) of the values as IEEE float32, little-endian, as OpenAI writes them. */
    public static String base64(float[] vector) {
        ByteBuffer b = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** The inverse of {@link #base64(float[])}. */
    public static float[] fromBase64(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(v);
        return v;
    }
}
