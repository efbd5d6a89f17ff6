package dev.batchwise.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each preprocessor_config.json option on tiny images, against pixels worked out by hand. */
class ImagePreprocessorTest {

    private static final ImageDecoder DECODER = new ImageDecoder(DecodeLimits.defaults());

    @TempDir
    Path dir;

    private static PreprocessorConfig config(String json) throws Exception {
        JsonNode node = JsonMapper.builder().build().readTree(json);
        return PreprocessorConfig.parse(node, "preprocessor_config.json");
    }

    private static ImagePreprocessor preprocessor(String json) throws Exception {
        return new ImagePreprocessor(config(json), Layout.NCHW, DECODER);
    }

    /** A one-row picture whose three channels hold the same values. */
    private static RgbImage row(int... values) {
        byte[] rgb = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[i * 3] = (byte) values[i];
            rgb[i * 3 + 1] = (byte) values[i];
            rgb[i * 3 + 2] = (byte) values[i];
        }
        return RgbImage.whole(values.length, 1, rgb);
    }

    private static final String RAW = "\"do_rescale\": false, \"do_normalize\": false";

    @Test
    void bilinearShrinkingAveragesOverTheWidenedKernel() throws Exception {
        // 4 -> 2: scale 2, so the triangle kernel reaches 2 pixels each side. Output 0 is centred at 1.0
        // and takes pixels 0, 1, 2 at distances 0.5, 0.5, 1.5 (halved: 0.25, 0.25, 0.75), weights
        // 0.75, 0.75, 0.25 over 1.75: 0 * 3/7 + 100 * 3/7 + 200 * 1/7 = 71.4 -> 71. Output 1, centred at
        // 3.0: pixels 1, 2, 3 with weights 1/7, 3/7, 3/7: 100/7 + 600/7 + 765/7 = 209.3 -> 209.
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 2}, \"resample\": 2, " + RAW + "}");
        float[] out = p.apply(row(0, 100, 200, 255));
        assertArrayEquals(new float[] {71, 209, 71, 209, 71, 209}, out);
    }

    @Test
    void nearestTakesThePixelUnderEachOutputsCentre() throws Exception {
        // 4 -> 2: centres at 1.0 and 3.0 fall in pixels 1 and 3
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 2}, \"resample\": 0, " + RAW + "}");
        assertArrayEquals(new float[] {100, 255, 100, 255, 100, 255}, p.apply(row(0, 100, 200, 255)));
    }

    @Test
    void alignedCornersInterpolatesBetweenTheEndPixels() throws Exception {
        // 3 -> 5 with the corners aligned: positions 0, 0.5, 1, 1.5, 2; the samples rescaled first
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 5}, \"resample\": 2, "
                + "\"align_corners\": true, \"rescale_factor\": 0.01, \"do_normalize\": false}");
        float[] out = p.apply(row(0, 100, 200));
        assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f}, java.util.Arrays.copyOf(out, 5), 1e-6f);
    }

    @Test
    void theShortestEdgeIsScaledAndTheLongerTruncated() throws Exception {
        ImagePreprocessor p = preprocessor("{\"size\": {\"shortest_edge\": 2}, \"do_center_crop\": true, "
                + "\"crop_size\": {\"height\": 2, \"width\": 2}, " + RAW + "}");
        // landscape 6 x 3: 3 -> 2, 6 -> int(2 * 6 / 3) = 4; the crop starts (4 - 2) // 2 = 1 from the left
        ImagePreprocessor.Plan wide = p.plan(6, 3);
        assertEquals(2, wide.resizedH());
        assertEquals(4, wide.resizedW());
        assertEquals(0, wide.top());
        assertEquals(1, wide.left());
        // portrait 3 x 7: 7 -> int(2 * 7 / 3) = int(4.67) = 4
        ImagePreprocessor.Plan tall = p.plan(3, 7);
        assertEquals(4, tall.resizedH());
        assertEquals(2, tall.resizedW());
        assertEquals(1, tall.top());
    }

    @Test
    void convNextResizesPastTheCropThenCropsBelow384AndWarpsFromIt() throws Exception {
        ImagePreprocessor small = preprocessor("{\"image_processor_type\": \"ConvNextImageProcessor\", "
                + "\"size\": {\"shortest_edge\": 224}, \"crop_pct\": 0.875, \"resample\": 3, " + RAW + "}");
        // shortest edge to int(224 / 0.875) = 256; 640 x 480 -> 341 x 256; crop 224 at (16, 58)
        ImagePreprocessor.Plan plan = small.plan(640, 480);
        assertEquals(256, plan.resizedH());
        assertEquals(341, plan.resizedW());
        assertEquals(16, plan.top());
        assertEquals(58, plan.left());
        assertEquals(224, small.height());
        ImagePreprocessor large = preprocessor("{\"image_processor_type\": \"ConvNextImageProcessor\", "
                + "\"size\": {\"shortest_edge\": 384}, " + RAW + "}");
        ImagePreprocessor.Plan warp = large.plan(640, 480);
        assertEquals(384, warp.resizedH());
        assertEquals(384, warp.resizedW());
        assertEquals(0, warp.left());
    }

    @Test
    void aCropLargerThanTheImageIsPaddedWithZerosBeforeRescalingAndNormalising() throws Exception {
        // 2 x 2 in a 4 x 4 crop: top = left = (2 - 4) // 2 = -1, so a border of one pixel is padding;
        // padding is 0, rescaled 0, normalised (0 - 0.5) / 0.5 = -1
        ImagePreprocessor p = preprocessor("{\"do_resize\": false, \"do_center_crop\": true, \"crop_size\": 4, "
                + "\"image_mean\": 0.5, \"image_std\": 0.5}");
        byte[] rgb = new byte[2 * 2 * 3];
        java.util.Arrays.fill(rgb, (byte) 255);
        float[] out = p.apply(RgbImage.whole(2, 2, rgb));
        float[] red = java.util.Arrays.copyOf(out, 16);
        assertArrayEquals(new float[] {-1, -1, -1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, -1, -1, -1}, red);
    }

    @Test
    void anOddMarginPutsTheExtraPixelAfterTheCrop() throws Exception {
        ImagePreprocessor p = preprocessor("{\"do_resize\": false, \"do_center_crop\": true, "
                + "\"crop_size\": {\"height\": 1, \"width\": 2}, " + RAW + "}");
        // (5 - 2) // 2 = 1: columns 1 and 2 of 0..4
        assertArrayEquals(new float[] {11, 22}, java.util.Arrays.copyOf(p.apply(row(0, 11, 22, 33, 44)), 2));
    }

    @Test
    void rescaleMultipliesInDoublePrecisionThenRounds() throws Exception {
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 1}, \"do_normalize\": false}");
        assertEquals((float) (51 * (1.0 / 255)), p.apply(row(51))[0]);
        assertEquals(0.2f, p.apply(row(51))[0]);
        ImagePreprocessor half = preprocessor("{\"size\": {\"height\": 1, \"width\": 1}, \"rescale_factor\": 0.5, "
                + "\"do_normalize\": false}");
        assertEquals(25.5f, half.apply(row(51))[0]);
    }

    @Test
    void normaliseUsesEachChannelsMeanAndStd() throws Exception {
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 1}, "
                + "\"image_mean\": [0.5, 0.4, 0.3], \"image_std\": [0.25, 0.2, 0.1]}");
        float[] out = p.apply(RgbImage.whole(1, 1, new byte[] {(byte) 255, 0, (byte) 128}));
        assertEquals(2f, out[0], 1e-6f); // (1 - 0.5) / 0.25
        assertEquals(-2f, out[1], 1e-6f); // (0 - 0.4) / 0.2
        assertEquals((128 / 255f - 0.3f) / 0.1f, out[2], 1e-6f);
    }

    @Test
    void theLayoutPutsChannelsFirstOrLast() throws Exception {
        PreprocessorConfig c = config("{\"size\": {\"height\": 1, \"width\": 2}, " + RAW + "}");
        RgbImage img = RgbImage.whole(2, 1, new byte[] {1, 2, 3, 4, 5, 6});
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, new ImagePreprocessor(c, Layout.NCHW, DECODER).apply(img));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, new ImagePreprocessor(c, Layout.NHWC, DECODER).apply(img));
    }

    @Test
    void flippingTheChannelOrderGivesBlueGreenRed() throws Exception {
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 1}, \"do_flip_channel_order\": true, "
                + RAW + "}");
        assertArrayEquals(new float[] {30, 20, 10}, p.apply(RgbImage.whole(1, 1, new byte[] {10, 20, 30})));
    }

    @Test
    void convertingToRgbDropsAlphaAndRepeatsGrey() throws Exception {
        ImagePreprocessor p = preprocessor("{\"size\": {\"height\": 1, \"width\": 2}, " + RAW + "}");
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00C86432); // fully transparent, colour kept: Pillow's convert("RGB") keeps it
        rgba.setRGB(1, 0, 0x80102030);
        Path file = dir.resolve("rgba.png");
        ImageIO.write(rgba, "png", file.toFile());
        assertArrayEquals(new float[] {200, 16, 100, 32, 50, 48}, p.load(file, "rgba.png"));
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 7);
        grey.getRaster().setSample(1, 0, 0, 250);
        Path g = dir.resolve("grey.png");
        ImageIO.write(grey, "png", g.toFile());
        assertArrayEquals(new float[] {7, 250, 7, 250, 7, 250}, p.load(g, "grey.png"));
    }

    @Test
    void eachExifOrientationGivesTheUprightImagesTensor() throws Exception {
        BufferedImage grey = new BufferedImage(48, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                grey.getRaster().setSample(x, y, 0, 10 + ((x / 8) * 37 + (y / 8) * 71 + (x / 8) * (y / 8) * 13) % 240);
            }
        }
        ImagePreprocessor p = preprocessor("{\"size\": {\"shortest_edge\": 20}, \"resample\": 3, "
                + "\"do_center_crop\": true, \"crop_size\": {\"height\": 16, \"width\": 24}, "
                + "\"image_mean\": 0.5, \"image_std\": 0.5}");
        Path straight = Files.write(dir.resolve("upright.jpg"), ImageDecoderTest.jpegWithOrientation(grey, 1));
        float[] want = p.load(straight, "upright.jpg");
        for (int value = 2; value <= 8; value++) {
            Orientation o = Orientation.ofExif(value);
            Path file = Files.write(dir.resolve(value + ".jpg"),
                    ImageDecoderTest.jpegWithOrientation(ImageDecoderTest.stored(grey, o), value));
            assertArrayEquals(want, p.load(file, value + ".jpg"), "orientation " + value);
        }
    }

    @Test
    void decodingOnlyTheCroppedPartGivesTheSameTensorAsDecodingAll() throws Exception {
        Path photo = TestImages.path("photo.png");
        ImagePreprocessor p = preprocessor("{\"size\": {\"shortest_edge\": 40}, \"resample\": 3, "
                + "\"do_center_crop\": true, \"crop_size\": {\"height\": 20, \"width\": 20}, "
                + "\"image_mean\": 0.5, \"image_std\": 0.5}");
        ImagePreprocessor.Plan plan = p.plan(97, 61);
        assertTrue(plan.region().x0() > 0 && plan.region().x1() < 97, plan.region().toString());
        assertArrayEquals(p.apply(DECODER.decode(photo, "photo.png")), p.load(photo, "photo.png"));
    }

    @Test
    void aSubsampledDecodeKeepsTwoPixelsPerOutputAndGivesNearlyTheSameTensor() throws Exception {
        // a smooth 1600 x 1200 picture and a budget of 200,000 pixels: the decoder subsamples, but keeps
        // two decoded pixels per output pixel (every 3rd across, 1600 / 448; every 2nd down, 1200 / 448)
        BufferedImage big = TestImages.drawn(1600, 1200, (x, y) -> ((x * 255 / 1599) << 16) | ((y * 255 / 1199) << 8)
                | ((x + y) * 255 / 2798));
        Path file = dir.resolve("big.png");
        ImageIO.write(big, "png", file.toFile());
        PreprocessorConfig c = config("{\"size\": {\"height\": 224, \"width\": 224}, \"resample\": 2, "
                + "\"image_mean\": 0.5, \"image_std\": 0.5}");
        float[] exact = new ImagePreprocessor(c, Layout.NCHW, DECODER).load(file, "big.png");
        ImageDecoder small = new ImageDecoder(new DecodeLimits(DecodeLimits.DEFAULT_MAX_PIXELS, 200_000));
        ImagePreprocessor subsampling = new ImagePreprocessor(c, Layout.NCHW, small);
        RgbImage sub = small.decode(file, "big.png", (w, h) -> subsampling.plan(w, h).region());
        assertEquals(3, sub.periodX());
        assertEquals(2, sub.periodY());
        assertEquals(534, sub.width());
        float[] approx = subsampling.load(file, "big.png");
        double worst = 0;
        for (int i = 0; i < exact.length; i++) {
            worst = Math.max(worst, Math.abs(exact[i] - approx[i]));
        }
        assertTrue(worst < 2.5 / 127.5, "differs by up to " + worst); // within about 2 of 255 levels
    }

    @Test
    void mistakesInTheConfigNameTheKey() {
        assertEquals("preprocessor_config.json: image_mean: missing; do_normalize needs image_mean and image_std "
                + "(three numbers each)", assertThrows(ImageConfigException.class,
                        () -> config("{\"size\": 224}")).getMessage());
        assertTrue(assertThrows(ImageConfigException.class, () -> config("{\"size\": 224, \"resample\": 9, "
                + RAW + "}")).getMessage().startsWith("preprocessor_config.json: resample: 9 is not one of Pillow's"));
        assertEquals("preprocessor_config.json: align_corners: needs do_resize with resample 2 (bilinear)",
                assertThrows(ImageConfigException.class, () -> config("{\"size\": 224, \"resample\": 3, "
                        + "\"align_corners\": true, " + RAW + "}")).getMessage());
        assertTrue(assertThrows(ImageConfigException.class, () -> config("{\"size\": {\"shortest_edge\": 800, "
                + "\"longest_edge\": 1333}, " + RAW + "}")).getMessage().contains("longest edge"));
        assertTrue(assertThrows(ImageConfigException.class, () -> config("{\"size\": {\"height\": 0, \"width\": 3}, "
                + RAW + "}")).getMessage().contains("not a whole number of pixels"));
        assertTrue(assertThrows(ImageConfigException.class, () -> config("{\"do_resize\": \"yes\"}")).getMessage()
                .contains("do_resize: \"yes\" is not true or false"));
        ImageConfigException variable = assertThrows(ImageConfigException.class,
                () -> preprocessor("{\"size\": {\"shortest_edge\": 224}, " + RAW + "}"));
        assertTrue(variable.getMessage().contains("does not give every image the same size"), variable.getMessage());
    }
}
