package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.result.TextChunk;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedding formats against numpy (src/test/resources/embedding-formats.json, made by
 * scripts/make-embedding-format-fixtures.py): float16 as numpy's astype, int8 and binary as
 * sentence-transformers' quantize_embeddings, base64 as OpenAI's little-endian float32.
 */
class EmbeddingEncoderTest {

    static JsonNode fixture;
    static float[][] vectors;

    @BeforeAll
    static void read() throws Exception {
        fixture = new ObjectMapper().readTree(EmbeddingEncoderTest.class.getResourceAsStream("/embedding-formats.json"));
        vectors = new float[fixture.get("vectors").size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = floats(fixture.get("vectors").get(i));
        }
    }

    @Test
    void float16RoundsAsNumpyDoes() {
        for (int i = 0; i < vectors.length; i++) {
            short[] bits = ((Float16Vector) EmbeddingEncoder.of(EmbeddingFormat.FLOAT16).encode(vectors[i])).bits();
            JsonNode expected = fixture.get("float16_bits").get(i);
            for (int d = 0; d < bits.length; d++) {
                assertEquals(expected.get(d).asInt(), bits[d] & 0xffff, "vector " + i + ", dimension " + d);
            }
        }
    }

    @Test
    void float16InJsonIsTheShortestDecimalOfTheSameHalf() throws Exception {
        Float16Vector v = Float16Vector.of(new float[] {0.1f, -0.33333f, 1f, 0f});
        assertEquals("[0.1,-0.3333,1,0]", Values.json(v));
        for (BigDecimal d : v.decimals()) {
            assertEquals(Float16Vector.toHalf(d.floatValue()), Float16Vector.toHalf(Float16Vector.toFloat(
                    Float16Vector.toHalf(d.floatValue()))));
        }
    }

    @Test
    void int8WithCalibrationRangesAsSentenceTransformers() {
        EmbeddingEncoder e = EmbeddingEncoder.int8(floats(fixture.get("int8_min")), floats(fixture.get("int8_max")));
        for (int i = 0; i < vectors.length; i++) {
            assertArrayEquals(bytes(fixture.get("int8").get(i)), ((Int8Vector) e.encode(vectors[i])).values(),
                    "vector " + i);
        }
    }

    @Test
    void binaryAsSentenceTransformers() throws Exception {
        for (int i = 0; i < vectors.length; i++) {
            Int8Vector b = (Int8Vector) EmbeddingEncoder.of(EmbeddingFormat.BINARY).encode(vectors[i]);
            assertArrayEquals(bytes(fixture.get("binary").get(i)), b.values(), "vector " + i);
        }
        assertEquals("[127,-128]", Values.json(EmbeddingEncoder.of(EmbeddingFormat.BINARY).encode(
                new float[] {1, 1, 1, 1, 1, 1, 1, 1, -1, 0, -1, 0, -1, 0, -1, 0})));
    }

    @Test
    void base64IsLittleEndianFloat32() {
        for (int i = 0; i < vectors.length; i++) {
            assertEquals(fixture.get("base64").get(i).asText(), EmbeddingEncoder.of(EmbeddingFormat.BASE64).encode(vectors[i]));
        }
    }

    @Test
    void chunksHaveTheirVectorsEncodedAndOtherValuesPass() {
        Object out = EmbeddingEncoder.of(EmbeddingFormat.BASE64).encode(List.of(new TextChunk(0, 0, 5, vectors[1])));
        assertEquals(List.of(new TextChunk(0, 0, 5, fixture.get("base64").get(1).asText())), out);
        assertEquals("label", EmbeddingEncoder.of(EmbeddingFormat.INT8).encode("label"));
    }

    static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    static byte[] bytes(JsonNode a) {
        byte[] b = new byte[a.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) a.get(i).asInt();
        }
        return b;
    }
}
