package dev.batchwise.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.result.TextChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A record's outputs as the bytes the cache stores, and back. One vector ({@code float[]}) and a
 * list of {@link TextChunk}s with vectors are stored as little-endian floats (bit for bit); any other
 * outputs as a JSON array, so they come back as the JSON values they are written as (numbers,
 * strings, lists, maps).
 */
final class OutputCodec {

    private static final byte VECTOR = 'F';
    private static final byte CHUNKS = 'C';
    private static final byte JSON = 'J';
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OutputCodec() {}

    static byte[] encode(Object[] outputs) throws IOException {
        if (outputs.length == 1 && outputs[0] instanceof float[] v) {
            ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.put(VECTOR);
            putVector(b, v);
            return b.array();
        }
        if (outputs.length == 1 && chunks(outputs[0])) {
            List<?> list = (List<?>) outputs[0];
            int size = 1 + 4;
            for (Object o : list) {
                size += 16 + 4 * ((float[]) ((TextChunk) o).embedding()).length;
            }
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            b.put(CHUNKS).putInt(list.size());
            for (Object o : list) {
                TextChunk c = (TextChunk) o;
                b.putInt(c.index()).putInt(c.start()).putInt(c.end());
                putVector(b, (float[]) c.embedding());
            }
            return b.array();
        }
        byte[] json = MAPPER.writeValueAsBytes(Arrays.asList(outputs));
        byte[] out = new byte[json.length + 1];
        out[0] = JSON;
        System.arraycopy(json, 0, out, 1, json.length);
        return out;
    }

    /** @throws IOException for bytes this codec did not make */
    static Object[] decode(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            throw new IOException("an empty cache entry");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte tag = b.get();
        try {
            switch (tag) {
                case VECTOR:
                    return new Object[] {vector(b)};
                case CHUNKS: {
                    int n = b.getInt();
                    List<TextChunk> chunks = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        chunks.add(new TextChunk(b.getInt(), b.getInt(), b.getInt(), vector(b)));
                    }
                    return new Object[] {chunks};
                }
                case JSON:
                    return MAPPER.readValue(bytes, 1, bytes.length - 1, List.class).toArray();
                default:
                    throw new IOException("a cache entry of unknown kind " + tag);
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("a damaged cache entry", e);
        }
    }

    private static boolean chunks(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return false;
        }
        for (Object o : list) {
            if (!(o instanceof TextChunk c) || !(c.embedding() instanceof float[])) {
                return false;
            }
        }
        return true;
    }

    private static void putVector(ByteBuffer b, float[] v) {
        b.putInt(v.length);
        for (float x : v) {
            b.putFloat(x);
        }
    }

    private static float[] vector(ByteBuffer b) {
        float[] v = new float[b.getInt()];
        b.asFloatBuffer().get(v);
        b.position(b.position() + 4 * v.length);
        return v;
    }
}
