package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.image.ImageException;
import dev.batchwise.image.Layout;
import dev.batchwise.testing.Models;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Image models as batch functions: the tiny ViT- and ResNet-style models of
 * scripts/make-image-test-models.py against PyTorch's outputs, and the bundled nsfw model against
 * nsfwjs's on a fixed tensor.
 */
class ImageModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(ImageModelTest.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ImageModel open(String spec, Task task, int topK) throws Exception {
        return ImageModel.open(spec, new ModelOptions(task, 0, topK, 1, Models.cache()), DecodeLimits.defaults());
    }

    /** Runs the function on the images, each prepared as the intake prepares it. */
    static List<? extends List<?>> run(ImageModel model, BatchFunction f, List<Path> images) throws Exception {
        List<Object> prepared = new ArrayList<>();
        for (Path p : images) {
            Object[] args = {p.toString()};
            assertEquals(1, model.prepare(args));
            prepared.add(args[0]);
        }
        return f.apply(List.of(prepared), CallMetrics.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-vit", "tiny-resnet"})
    void tinyModelsGivePyTorchsOutputs(String name) throws Exception {
        JsonNode expected = JSON.readTree(resource("models/image-expected.json").toFile()).get(name);
        List<Path> images = new ArrayList<>();
        expected.forEach(c -> images.add(resource("images/" + c.get("image").asText())));
        String dirPath = resource("models/" + name).toString();
        try (ImageModel raw = open(dirPath, Task.RAW, 1); BatchFunction f = raw.create()) {
            List<?> logits = run(raw, f, images).get(0);
            for (int i = 0; i < images.size(); i++) {
                @SuppressWarnings("unchecked")
                List<Double> got = (List<Double>) logits.get(i);
                JsonNode want = expected.get(i).get("logits");
                for (int k = 0; k < want.size(); k++) {
                    assertEquals(want.get(k).asDouble(), got.get(k), 2e-5, name + " " + images.get(i) + " logit " + k);
                }
            }
        }
        try (ImageModel embed = open(dirPath, Task.EMBED, 1); BatchFunction f = embed.create()) {
            List<?> vectors = run(embed, f, images).get(0);
            for (int i = 0; i < images.size(); i++) {
                float[] got = (float[]) vectors.get(i);
                JsonNode want = expected.get(i).get("pooler_output");
                double norm = 0;
                for (JsonNode v : want) {
                    norm += v.asDouble() * v.asDouble();
                }
                norm = Math.sqrt(norm);
                assertEquals(want.size(), got.length);
                for (int k = 0; k < got.length; k++) {
                    assertEquals(want.get(k).asDouble() / norm, got[k], 2e-5, name + " embedding " + k);
                }
            }
        }
        try (ImageModel classify = open(dirPath, Task.CLASSIFY, 2); BatchFunction f = classify.create()) {
            List<? extends List<?>> out = run(classify, f, images.subList(0, 1));
            JsonNode want = expected.get(0).get("logits");
            double[] p = softmax(want);
            int best = argmax(p);
            assertEquals(List.of("cat", "dog", "bird", "fish").get(best), out.get(0).get(0));
            assertEquals(p[best], (Double) out.get(1).get(0), 2e-5);
            assertEquals(2, ((List<?>) out.get(2).get(0)).size());
        }
    }

    static double[] softmax(JsonNode logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (JsonNode l : logits) {
            max = Math.max(max, l.asDouble());
        }
        double[] p = new double[logits.size()];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits.get(i).asDouble() - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void theChannelLayoutComesFromTheModelsInput() throws Exception {
        try (ImageModel vit = open(resource("models/tiny-vit").toString(), Task.RAW, 1);
                ImageModel resnet = open(resource("models/tiny-resnet").toString(), Task.RAW, 1);
                ImageModel nsfw = open("nsfw", Task.RAW, 1)) {
            assertEquals(Layout.NCHW, vit.layout()); // [batch_size, num_channels, height, width]: by the name
            assertEquals(Layout.NCHW, resnet.layout()); // [batch_size, 3, 32, 32]
            assertEquals(Layout.NHWC, nsfw.layout()); // [batch, 224, 224, 3], as Keras
        }
    }

    @Test
    void theBundledModelMatchesNsfwjsOnAFixedTensor() throws Exception {
        // nsfwjs 4.4.0 on @tensorflow/tfjs 4.22 (cpu backend): model.predict on this tensor
        double[] nsfwjs = {0.49802881479263306, 0.014677726663649082, 0.4818447232246399, 0.004209172911942005,
            0.0012395859230309725};
        float[] values = new float[224 * 224 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((Math.sin(i * 0.001) + 1) / 2);
        }
        try (ImageModel nsfw = open("nsfw", Task.CLASSIFY, 5); BatchFunction f = nsfw.create()) {
            List<? extends List<?>> out = f.apply(List.of(List.of(new PreparedImage(values, 0, 0))), CallMetrics.NONE);
            assertEquals("Drawing", out.get(0).get(0));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> top = (List<Map<String, Object>>) out.get(2).get(0);
            List<String> labels = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
            for (Map<String, Object> entry : top) {
                int k = labels.indexOf((String) entry.get("label"));
                assertEquals(nsfwjs[k], (Double) entry.get("score"), 5e-6, entry.toString());
            }
        }
    }

    @Test
    void aRecordsOutputDoesNotDependOnItsBatchMates() throws Exception {
        List<Path> images = List.of(resource("images/photo.png"), resource("images/formats/baseline.jpg"),
                resource("images/formats/grey.png"));
        try (ImageModel nsfw = open("nsfw", Task.EMBED, 1); BatchFunction f = nsfw.create()) {
            List<?> together = run(nsfw, f, images).get(0);
            for (int i = 0; i < images.size(); i++) {
                float[] alone = (float[]) run(nsfw, f, List.of(images.get(i))).get(0).get(0);
                float[] inBatch = (float[]) together.get(i);
                assertEquals(1280, alone.length);
                double norm = 0;
                for (int k = 0; k < alone.length; k++) {
                    assertEquals(alone[k], inBatch[k], 1e-5);
                    norm += alone[k] * alone[k];
                }
                assertEquals(1.0, norm, 1e-5);
            }
        }
    }

    @Test
    void aBadImageFailsWhenPreparedNamingTheFile() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not a picture\n");
        try (ImageModel nsfw = open("nsfw", Task.CLASSIFY, 1)) {
            ImageException e = assertThrows(ImageException.class, () -> nsfw.prepare(new Object[] {text.toString()}));
            assertEquals(text + ": is text, not an image", e.getMessage());
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                    () -> nsfw.prepare(new Object[] {" "}));
            assertEquals("the image path is empty", empty.getMessage());
            assertEquals(4L * 224 * 224 * 3, nsfw.preparedBytes());
        }
    }

    @Test
    void imageAndTextModelsAreToldApart() throws Exception {
        assertEquals(ModelKind.IMAGE, ModelKind.of("nsfw"));
        assertEquals(ModelKind.TEXT, ModelKind.of("minilm"));
        assertEquals(ModelKind.IMAGE, ModelKind.of(resource("models/tiny-vit").toString()));
        assertEquals(ModelKind.IMAGE, ModelKind.of(resource("models/tiny-vit/model.onnx").toString()));
        assertEquals(ModelKind.TEXT, ModelKind.of(resource("models/tiny-classifier-onnx").toString()));
        assertEquals(ModelKind.TEXT, ModelKind.of(dir.resolve("nothing-here").toString()));
        assertEquals("'nsfw' is an image model: it takes pictures, not text",
                assertThrows(ModelLoadException.class, () -> ModelFiles.resolve("nsfw", Models.cache())).getMessage());
        assertEquals("'minilm' is a text model: it takes text, not pictures",
                assertThrows(ModelLoadException.class, () -> ImageModelFiles.resolve("minilm", Models.cache()))
                        .getMessage());
    }

    @Test
    void aModelDirectoryWithoutItsPreprocessorConfigSaysWhatIsMissing() throws Exception {
        Path model = Files.createDirectories(dir.resolve("vit"));
        Files.copy(resource("models/tiny-vit/model.onnx"), model.resolve("model.onnx"));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> ImageModelFiles.resolve(model.toString(), Models.cache()));
        assertTrue(e.getMessage().startsWith("no preprocessor_config.json beside the model in " + model), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ImageModelFiles.resolve("nsfww", Models.cache()));
        assertTrue(missing.getMessage().startsWith("model 'nsfww': not a bundled model"), missing.getMessage());
        assertTrue(missing.getMessage().contains("nsfw"), missing.getMessage());
    }

    @Test
    void aPreprocessorThatDoesNotFitTheModelIsRefusedBeforeTheModelLoads() throws Exception {
        Path model = Files.createDirectories(dir.resolve("resnet"));
        Files.copy(resource("models/tiny-resnet/model.onnx"), model.resolve("model.onnx"));
        Files.writeString(model.resolve("preprocessor_config.json"),
                "{\"size\": {\"height\": 48, \"width\": 48}, \"image_mean\": 0.5, \"image_std\": 0.5}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> open(model.toString(), Task.RAW, 1));
        assertEquals("model " + model.resolve("model.onnx") + " takes 'pixel_values' [batch_size, 3, 32, 32], images of "
                + "32x32, but " + model.resolve("preprocessor_config.json") + " makes them 48x48", e.getMessage());
    }
}
