package dev.batchwise.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tensors of a picture under each preprocessor_config.json setting, against what Hugging Face's
 * steps make of it with Pillow's resize (and PyTorch's aligned-corners interpolate), from
 * scripts/make-test-images.py.
 */
class PreprocessingReferenceTest {

    static Stream<JsonNode> cases() {
        List<JsonNode> all = new ArrayList<>();
        TestImages.json("preprocessed.json.gz").get("cases").forEach(all::add);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesHuggingFaceAndPillow(JsonNode c) throws Exception {
        PreprocessorConfig config = PreprocessorConfig.parse(c.get("config"), c.get("name").asText());
        ImagePreprocessor p = new ImagePreprocessor(config, Layout.NCHW, new ImageDecoder(DecodeLimits.defaults()));
        float[] got = p.load(TestImages.path("photo.png"), "photo.png");
        float[] want = TestImages.floats(c.get("values"));
        JsonNode shape = c.get("shape");
        assertEquals(shape.get(1).asInt(), p.height());
        assertEquals(shape.get(2).asInt(), p.width());
        assertEquals(want.length, got.length);
        // Pillow's integer arithmetic is reproduced exactly; the float steps are float32 as numpy's.
        // Aligned corners: PyTorch computes the source positions in float32, TensorFlow (and this) in
        // float64; a position off by a float32 rounding moves a value by up to a few millionths.
        double tolerance = config.alignCorners ? 1e-5 : 0;
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(want[i] - got[i]));
        }
        assertTrue(worst <= tolerance, c.get("name").asText() + ": differs by up to " + worst);
    }
}
