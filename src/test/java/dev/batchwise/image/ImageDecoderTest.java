package dev.batchwise.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.testing.TestPictures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding checked against Pillow's decoding of the same files, and what each kind of bad file says. */
class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(DecodeLimits.defaults());

    @TempDir
    Path dir;

    @Test
    void everyFormatDecodesToPillowsPixels() {
        JsonNode files = TestImages.json("decoded.json.gz").get("files");
        List<String> checked = new ArrayList<>();
        var it = files.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            byte[] want = TestImages.bytes(e.getValue().get("rgb"));
            RgbImage got = decoder.decode(TestImages.path("formats/" + name), name);
            assertEquals(e.getValue().get("width").asInt(), got.width(), name);
            assertEquals(e.getValue().get("height").asInt(), got.height(), name);
            assertTrue(got.isWhole(), name);
            if (name.equals("lossy.webp")) {
                // libwebp upsamples chroma smoothly, TwelveMonkeys' VP8 decoder does not: the picture's
                // sharp coloured stripes differ at their edges (measured: mean 8.4, max 59)
                assertTrue(meanDifference(want, got.rgb()) < 10, name);
            } else {
                // both are libjpeg underneath for JPEG (same IDCT and upsampling); the rest are lossless
                assertArrayEquals(want, got.rgb(), name);
            }
            checked.add(name);
        }
        assertEquals(19, checked.size(), checked::toString);
    }

    @Test
    void aJpegsComponentCountChoosesItsReader() throws IOException {
        // 1 or 3: the JDK's reader first; 4 (CMYK): TwelveMonkeys', which gets the colours right
        for (var c : Map.of("grey.jpg", 1, "baseline.jpg", 3, "progressive.jpg", 3, "cmyk.jpg", 4, "rgb.png", 0)
                .entrySet()) {
            try (var in = javax.imageio.ImageIO.createImageInputStream(TestImages.path("formats/" + c.getKey()).toFile())) {
                assertEquals(c.getValue(), ImageDecoder.jpegComponents(in), c.getKey());
            }
        }
    }

    private static double meanDifference(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }

    /** A grey picture of constant 8x8 blocks, which JPEG at full quality stores exactly, asymmetric in both axes. */
    private static BufferedImage blocks(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int bx = x / 8;
                int by = y / 8;
                image.getRaster().setSample(x, y, 0, 10 + (bx * 37 + by * 71 + bx * by * 13) % 240);
            }
        }
        return image;
    }

    /** The raw picture that {@code orientation} turns into {@code upright} (grey: samples copied, not colours). */
    static BufferedImage stored(BufferedImage upright, Orientation orientation) {
        int uw = upright.getWidth();
        int uh = upright.getHeight();
        int rw = orientation.transposed() ? uh : uw;
        int rh = orientation.transposed() ? uw : uh;
        BufferedImage raw = new BufferedImage(rw, rh, upright.getType());
        for (int y = 0; y < rh; y++) {
            for (int x = 0; x < rw; x++) {
                int ux = orientation.transposed() ? y : x;
                int uy = orientation.transposed() ? x : y;
                if (orientation.flipX()) {
                    ux = uw - 1 - ux;
                }
                if (orientation.flipY()) {
                    uy = uh - 1 - uy;
                }
                raw.getRaster().setSample(x, y, 0, upright.getRaster().getSample(ux, uy, 0));
            }
        }
        return raw;
    }

    /** A full-quality JPEG of {@code image} with an EXIF segment holding {@code orientation}. */
    static byte[] jpegWithOrientation(BufferedImage image, int orientation) throws IOException {
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var param = writer.getDefaultWriteParam();
        param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1.0f);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(jpeg)) {
            writer.setOutput(out);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] body = jpeg.toByteArray();
        // Exif\0\0, then a little-endian TIFF header and IFD0 with one SHORT entry, 0x0112
        ByteBuffer exif = ByteBuffer.allocate(6 + 8 + 2 + 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        exif.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        exif.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        exif.putShort((short) 1);
        exif.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        exif.putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1);
        int length = exif.capacity() + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif.array());
        out.write(body, 2, body.length - 2);
        return out.toByteArray();
    }

    /**
     * The upright picture as JPEG stores it: each constant block comes back the same wherever it is
     * (its value may move by one in the encoder's rounding), so a turned picture decodes to this.
     */
    private RgbImage uprightJpeg(BufferedImage upright) throws IOException {
        Path file = Files.write(dir.resolve("upright.jpg"), jpegWithOrientation(upright, 1));
        return decoder.decode(file, "upright.jpg");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void eachExifOrientationShowsThePictureUpright(int value) throws IOException {
        BufferedImage upright = blocks(48, 32);
        RgbImage want = uprightJpeg(upright);
        Orientation o = Orientation.ofExif(value);
        Path file = Files.write(dir.resolve("o" + value + ".jpg"), jpegWithOrientation(stored(upright, o), value));
        RgbImage got = decoder.decode(file, file.toString());
        assertEquals(48, got.width());
        assertEquals(32, got.height());
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                assertTrue(Math.abs(upright.getRaster().getSample(x, y, 0) - got.sample(x, y, 0)) <= 1);
                assertEquals(want.sample(x, y, 0), got.sample(x, y, 0), "orientation " + value + " at " + x + "," + y);
                assertEquals(want.sample(x, y, 2), got.sample(x, y, 2), "orientation " + value + " at " + x + "," + y);
            }
        }
    }

    @Test
    void anOrientationOutsideOneToEightIsIgnoredAsViewersIgnoreIt() throws IOException {
        BufferedImage upright = blocks(16, 8);
        Path file = Files.write(dir.resolve("o9.jpg"), jpegWithOrientation(upright, 9));
        RgbImage got = decoder.decode(file, "o9.jpg");
        assertEquals(16, got.width());
        assertEquals(upright.getRaster().getSample(15, 0, 0), got.sample(15, 0, 0));
    }

    private String failure(Path file) {
        return assertThrows(ImageException.class, () -> decoder.decode(file, file.getFileName().toString()))
                .getMessage();
    }

    @Test
    void anEmptyFileSaysItIsEmpty() throws IOException {
        assertEquals("empty.jpg: is empty (0 bytes)", failure(Files.createFile(dir.resolve("empty.jpg"))));
    }

    @Test
    void textNamedAsAJpegSaysItIsText() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.jpg"), "remember the milk\n");
        assertEquals("notes.jpg: is text, not an image", failure(file));
    }

    @Test
    void aFormatThatCannotBeReadIsNamed() throws IOException {
        byte[] heic = new byte[32];
        System.arraycopy("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);
        assertEquals("photo.heic: is a HEIC image, which cannot be read here (readable: JPEG, PNG, GIF, BMP, WebP "
                + "or TIFF)", failure(Files.write(dir.resolve("photo.heic"), heic)));
        assertEquals("logo.svg: is an SVG drawing (text), which cannot be read here; render it to PNG first",
                failure(Files.writeString(dir.resolve("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")));
        assertEquals("blob.jpg: is not an image in a format that can be read here (JPEG, PNG, GIF, BMP, WebP or "
                + "TIFF)", failure(Files.write(dir.resolve("blob.jpg"), new byte[] {0, 1, 2, 3, (byte) 200, 5})));
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline.jpg", "progressive.jpg", "rgb.png", "image.gif", "lossless.webp", "lossy.webp"})
    void aTruncatedFileSaysItIsCutShort(String name) throws IOException {
        byte[] whole = Files.readAllBytes(TestImages.path("formats/" + name));
        Path cut = Files.write(dir.resolve(name), java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        String message = failure(cut);
        assertTrue(message.startsWith(name + ": is a"), message);
        assertTrue(message.contains("cut short") || message.contains("damaged"), message);
    }

    @Test
    void aTruncatedJpegIsNotFilledWithGrey() throws IOException {
        byte[] whole = Files.readAllBytes(TestImages.path("formats/baseline.jpg"));
        Path cut = Files.write(dir.resolve("cut.jpg"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals("cut.jpg: is a JPEG image cut short (the file ends inside the image data)", failure(cut));
    }

    @Test
    void damagedDataSaysSo() throws IOException {
        byte[] png = Files.readAllBytes(TestImages.path("formats/rgb.png"));
        for (int i = 60; i < png.length - 20; i++) {
            png[i] = (byte) (png[i] ^ 0x5A); // the compressed pixels, past the header
        }
        String message = failure(Files.write(dir.resolve("noise.png"), png));
        assertTrue(message.startsWith("noise.png: is a PNG image that is damaged: "), message);
    }

    @Test
    void aMissingFileOrADirectorySaysSo() throws IOException {
        assertEquals("gone.jpg: no such file", failure(dir.resolve("gone.jpg")));
        Path sub = Files.createDirectory(dir.resolve("sub.jpg"));
        assertEquals("sub.jpg: is a directory, not an image", failure(sub));
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), TestPictures.pngClaiming(50_000, 50_000));
        assertTrue(Files.size(bomb) < 10_000);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertEquals("bomb.png: is a PNG image of 50,000 x 50,000 pixels (2,500,000,000), more than the limit of "
                + "178,956,970; refused as a possible decompression bomb", failure(bomb));
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 64L << 20, "decoding took " + (after - before) + " bytes");
    }

    @Test
    void theLimitIsTheCallers() throws IOException {
        Path file = TestImages.path("formats/rgb.png");
        ImageDecoder small = new ImageDecoder(new DecodeLimits(37 * 23 - 1, 1 << 20));
        ImageException e = assertThrows(ImageException.class, () -> small.decode(file, "rgb.png"));
        assertTrue(e.getMessage().contains("850; refused"), e.getMessage());
        assertEquals(37, new ImageDecoder(new DecodeLimits(37 * 23, 1 << 20)).decode(file, "rgb.png").width());
    }

    @Test
    void aLargeImageIsSubsampledWithinTheBudgetButNotBelowWhatIsAsked() throws IOException {
        // 1200 x 900, stripes 3 pixels wide: every third pixel sees one colour
        BufferedImage big = TestImages.drawn(1200, 900, (x, y) -> (x / 3) % 2 == 0 ? 0x204060 : 0xE0C0A0);
        Path file = dir.resolve("big.png");
        ImageIO.write(big, "png", file.toFile());
        ImageDecoder budget = new ImageDecoder(new DecodeLimits(DecodeLimits.DEFAULT_MAX_PIXELS, 100_000));
        RgbImage whole = budget.decode(file, "big.png");
        assertTrue((long) whole.width() * whole.height() <= 100_000, whole.width() + "x" + whole.height());
        assertEquals(1200, whole.fullWidth());
        assertTrue(whole.periodX() > 1 && whole.periodY() > 1);
        // the caller allows every 2nd pixel at most across, any down: down takes the rest
        RgbImage capped = budget.decode(file, "big.png", (w, h) -> new ImageDecoder.Request(0, 0, w, h, 2, 1000));
        assertEquals(2, capped.periodX());
        assertEquals(600, capped.width());
        assertTrue((long) capped.width() * capped.height() <= 100_000);
        // a region: only what is asked is decoded, at its place
        RgbImage part = budget.decode(file, "big.png", (w, h) -> new ImageDecoder.Request(300, 200, 360, 260, 1, 1));
        assertEquals(60, part.width());
        assertEquals(300, part.offsetX());
        assertEquals(200, part.offsetY());
        assertEquals(0x20, part.sample(0, 0, 0)); // upright x 300: stripe 100, even
        assertEquals(0xE0, part.sample(3, 0, 0)); // x 303: stripe 101
    }

    @Test
    void aRegionOfATurnedImageIsTheUprightRegion() throws IOException {
        BufferedImage upright = blocks(48, 32);
        RgbImage want = uprightJpeg(upright);
        for (int value = 1; value <= 8; value++) {
            Orientation o = Orientation.ofExif(value);
            Path file = Files.write(dir.resolve("r" + value + ".jpg"), jpegWithOrientation(stored(upright, o), value));
            RgbImage part = decoder.decode(file, "r.jpg", (w, h) -> new ImageDecoder.Request(8, 16, 40, 32, 1, 1));
            assertEquals(32, part.width(), "orientation " + value);
            assertEquals(16, part.height(), "orientation " + value);
            assertEquals(8, part.offsetX(), "orientation " + value);
            assertEquals(16, part.offsetY(), "orientation " + value);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(want.sample(x + 8, y + 16, 0), part.sample(x, y, 0),
                            "orientation " + value + " at " + x + "," + y);
                }
            }
        }
    }
}
