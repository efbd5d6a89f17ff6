package dev.batchwise.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The image files and references made by scripts/make-test-images.py, on the test class path. */
final class TestImages {

    private TestImages() {}

    static Path path(String resource) {
        try {
            return Path.of(TestImages.class.getClassLoader().getResource("images/" + resource).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test image " + resource, e);
        }
    }

    /** A gzipped JSON file of the references. */
    static JsonNode json(String resource) {
        try (InputStream in = new GZIPInputStream(TestImages.class.getClassLoader()
                .getResourceAsStream("images/" + resource))) {
            return JsonMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode base64) {
        try {
            return base64.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Little-endian float32 values, base64. */
    static float[] floats(JsonNode base64) {
        ByteBuffer b = ByteBuffer.wrap(bytes(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    /** An image of {@code w x h} whose pixels are a function of their position. */
    static BufferedImage drawn(int w, int h, java.util.function.IntBinaryOperator rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, rgb.applyAsInt(x, y));
            }
        }
        return image;
    }
}
