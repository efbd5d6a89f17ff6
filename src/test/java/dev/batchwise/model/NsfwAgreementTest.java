package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.testing.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bundled nsfw model against nsfwjs in node on real pictures (images/nsfw: photos and drawings
 * from Debian packages, NOTICE.md gives their licences), whose probabilities
 * scripts/nsfwjs-reference.mjs recorded in expected.json.
 *
 * <p>The tolerances come from measuring 402 pictures of five Debian packages (docs/images.md): where
 * both sides decode the same pixels (PNG, and jpeg-js's decoding of a JPEG given to batchwise as a PNG)
 * the probabilities differ by at most 8.9e-5 (float32 arithmetic of two implementations of the same
 * resize and network); JPEGs decoded by jpeg-js in node and by libjpeg here differ by half a level
 * per sample on median (3.2 at most), which moves a probability by up to 0.065 (median 0.004).
 */
class NsfwAgreementTest {

    /** Same pixels on both sides: twice the largest difference measured. */
    private static final double SAME_PIXELS = 2e-4;
    /** JPEG, decoded by jpeg-js there and libjpeg here: above the largest difference measured, 0.065. */
    private static final double JPEG = 0.07;

    @Test
    void probabilitiesAndLabelsAreNsfwjss() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(ImageModelTest.resource("images/nsfw/expected.json").toFile());
        List<String> classes = new ArrayList<>();
        expected.get("classes").forEach(c -> classes.add(c.asText()));
        List<JsonNode> images = new ArrayList<>();
        expected.get("images").forEach(images::add);
        assertEquals(21, images.size());
        int agree = 0;
        List<String> report = new ArrayList<>();
        try (ImageModel nsfw = ImageModel.open("nsfw", new ModelOptions(Task.CLASSIFY, 0, classes.size(), 1,
                Models.cache()), DecodeLimits.defaults()); BatchFunction f = nsfw.create()) {
            // in batches of up to 8, as a run would send them
            for (int from = 0; from < images.size(); from += 8) {
                List<JsonNode> batch = images.subList(from, Math.min(images.size(), from + 8));
                List<Path> files = batch.stream().map(i -> ImageModelTest.resource("images/nsfw/"
                        + i.get("file").asText())).toList();
                List<? extends List<?>> out = ImageModelTest.run(nsfw, f, files);
                for (int i = 0; i < batch.size(); i++) {
                    JsonNode want = batch.get(i);
                    String file = want.get("file").asText();
                    double tolerance = file.endsWith(".jpg") ? JPEG : SAME_PIXELS;
                    double[] theirs = new double[classes.size()];
                    for (int k = 0; k < theirs.length; k++) {
                        theirs[k] = want.get("probabilities").get(k).asDouble();
                    }
                    double[] ours = new double[classes.size()];
                    for (Object entry : (List<?>) out.get(2).get(i)) {
                        Map<?, ?> m = (Map<?, ?>) entry;
                        ours[classes.indexOf((String) m.get("label"))] = (Double) m.get("score");
                    }
                    for (int k = 0; k < ours.length; k++) {
                        assertEquals(theirs[k], ours[k], tolerance, file + " " + classes.get(k));
                    }
                    int best = ImageModelTest.argmax(theirs);
                    assertEquals(classes.get(ImageModelTest.argmax(ours)), out.get(0).get(i), file);
                    if (best == ImageModelTest.argmax(ours)) {
                        agree++;
                    } else {
                        report.add(file);
                    }
                }
            }
        }
        assertTrue(agree >= 0.95 * images.size(), "top-1 differs on " + report);
    }
}
