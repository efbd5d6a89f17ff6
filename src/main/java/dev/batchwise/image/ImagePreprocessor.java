package dev.batchwise.image;

import java.nio.file.Path;

/**
 * Turns an image file into a model's input values, as its {@link PreprocessorConfig} says: decode
 * (only what the crop keeps, subsampled only past the decoder's budget), resize, centre crop,
 * rescale, normalise, and lay out as {@link Layout} says. Every image comes out as the same number
 * of values, {@code 3 x height x width}, so that a batch stacks them.
 *
 * <p>Thread-safe and immutable; each call works on its own arrays.
 */
public final class ImagePreprocessor {

    /**
     * Each output pixel keeps at least this many decoded pixels per axis when the decoder subsamples,
     * so that the resize still averages over several.
     */
    private static final int MIN_SAMPLES_PER_OUTPUT = 2;

    private final PreprocessorConfig config;
    private final Layout layout;
    private final ImageDecoder decoder;
    private final int height;
    private final int width;

    /**
     * @throws ImageConfigException when the config does not give every image one size (a shortest-edge
     *     resize with no crop): images could then not be stacked into a batch
     */
    public ImagePreprocessor(PreprocessorConfig config, Layout layout, ImageDecoder decoder)
            throws ImageConfigException {
        int[] size = config.outputSize();
        if (size == null) {
            throw new ImageConfigException("preprocessor_config.json does not give every image the same size ("
                    + config.describe() + "); batches stack images of one size: add do_center_crop with crop_size, "
                    + "or give size as height and width");
        }
        this.config = config;
        this.layout = layout;
        this.decoder = decoder;
        this.height = size[0];
        this.width = size[1];
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public Layout layout() {
        return layout;
    }

    public PreprocessorConfig config() {
        return config;
    }

    /** How many values one image makes: 3 x height x width. */
    public int valuesPerImage() {
        return 3 * height * width;
    }

    /**
     * Decodes and preprocesses one image file.
     *
     * @param name the file as messages name it
     * @throws ImageException naming the file, when it cannot be decoded
     */
    public float[] load(Path file, String name) {
        return apply(decode(file, name));
    }

    /**
     * Decodes what {@link #apply} will read of one image file: the part a crop keeps, subsampled only
     * past the decoder's budget.
     *
     * @throws ImageException naming the file, when it cannot be decoded
     */
    public RgbImage decode(Path file, String name) {
        return decoder.decode(file, name, (w, h) -> plan(w, h).region);
    }

    /** Preprocesses decoded pixels (the whole image, or what {@link #plan} asked the decoder for). */
    public float[] apply(RgbImage image) {
        Plan p = plan(image.fullWidth(), image.fullHeight());
        int rows = p.r1 - p.r0;
        int cols = p.c1 - p.c0;
        byte[] bytes = null;
        float[] floats = null;
        if (!config.doResize) {
            bytes = window(image, p);
        } else if (config.alignCorners) {
            floats = Resizer.alignCorners(image, p.resizedH, p.resizedW, p.r0, p.r1, p.c0, p.c1,
                    config.doRescale ? config.rescaleFactor : 1.0);
        } else {
            bytes = Resizer.pillow(image, config.resample, p.resizedH, p.resizedW, p.r0, p.r1, p.c0, p.c1);
        }
        if (p.top == 0 && p.left == 0 && rows == height && cols == width && layout == Layout.NHWC
                && !config.flipChannels) {
            return interleaved(bytes, floats);
        }
        float[] lut = null;
        if (bytes != null) {
            lut = new float[256];
            for (int v = 0; v < 256; v++) {
                // rescale as Hugging Face does: in float64, then to float32
                lut[v] = config.doRescale ? (float) (v * config.rescaleFactor) : v;
            }
        }
        float[] out = new float[valuesPerImage()];
        int plane = height * width;
        for (int i = 0; i < height; i++) {
            int r = i + p.top;
            boolean rowInside = r >= p.r0 && r < p.r1;
            for (int j = 0; j < width; j++) {
                int c = j + p.left;
                boolean inside = rowInside && c >= p.c0 && c < p.c1;
                int at = ((r - p.r0) * cols + (c - p.c0)) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    float x;
                    if (!inside) {
                        x = 0f; // the crop's zero padding, before rescaling: 0 either way
                    } else if (bytes != null) {
                        x = lut[bytes[at + ch] & 0xFF];
                    } else {
                        x = floats[at + ch];
                    }
                    if (config.doNormalize) {
                        x = (x - config.mean[ch]) / config.std[ch];
                    }
                    int channel = config.flipChannels ? 2 - ch : ch;
                    int index = layout == Layout.NCHW ? channel * plane + i * width + j : (i * width + j) * 3 + channel;
                    out[index] = x;
                }
            }
        }
        return out;
    }

    /**
     * The values when the resized window is the whole output, channels last, in order: the bytes
     * rescaled, or the floats as they are, then normalised, with no index arithmetic.
     */
    private float[] interleaved(byte[] bytes, float[] floats) {
        float[] out = floats;
        if (bytes != null) {
            float[] lut = new float[256];
            for (int v = 0; v < 256; v++) {
                lut[v] = config.doRescale ? (float) (v * config.rescaleFactor) : v;
            }
            out = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = lut[bytes[i] & 0xFF];
            }
        }
        if (config.doNormalize) {
            float m0 = config.mean[0];
            float m1 = config.mean[1];
            float m2 = config.mean[2];
            float s0 = config.std[0];
            float s1 = config.std[1];
            float s2 = config.std[2];
            for (int i = 0; i < out.length; i += 3) {
                out[i] = (out[i] - m0) / s0;
                out[i + 1] = (out[i + 1] - m1) / s1;
                out[i + 2] = (out[i + 2] - m2) / s2;
            }
        }
        return out;
    }

    /** Rows and columns of an image not resized, as bytes. */
    private static byte[] window(RgbImage image, Plan p) {
        int cols = p.c1 - p.c0;
        byte[] out = new byte[(p.r1 - p.r0) * cols * 3];
        for (int r = p.r0; r < p.r1; r++) {
            int from = ((r - image.offsetY()) * image.width() + (p.c0 - image.offsetX())) * 3;
            System.arraycopy(image.rgb(), from, out, (r - p.r0) * cols * 3, cols * 3);
        }
        return out;
    }

    /**
     * The geometry for an upright image of {@code w x h}: the resized size, where the crop falls in
     * it, which resized rows and columns the crop keeps, and what to decode for them.
     */
    Plan plan(int w, int h) {
        int rh = h;
        int rw = w;
        if (config.doResize) {
            if (config.size instanceof PreprocessorConfig.Size.Exact e) {
                rh = e.height();
                rw = e.width();
            } else {
                int edge = ((PreprocessorConfig.Size.ShortestEdge) config.size).edge();
                int shorter = Math.min(w, h);
                int longer = Math.max(w, h);
                int newLong = (int) ((double) ((long) edge * longer) / shorter);
                rh = w <= h ? newLong : edge;
                rw = w <= h ? edge : newLong;
            }
        }
        int top = config.doCenterCrop ? Math.floorDiv(rh - height, 2) : 0;
        int left = config.doCenterCrop ? Math.floorDiv(rw - width, 2) : 0;
        int r0 = Math.max(0, top);
        int r1 = Math.min(rh, top + height);
        int c0 = Math.max(0, left);
        int c1 = Math.min(rw, left + width);
        ImageDecoder.Request region;
        if (!config.doResize) {
            region = new ImageDecoder.Request(c0, r0, c1, r1, 1, 1);
        } else {
            int[] ys = AxisTaps.span(config.resample, config.alignCorners, h, rh, r0, r1);
            int[] xs = AxisTaps.span(config.resample, config.alignCorners, w, rw, c0, c1);
            int maxPy = Math.max(1, (ys[1] - ys[0]) / (MIN_SAMPLES_PER_OUTPUT * (r1 - r0)));
            int maxPx = Math.max(1, (xs[1] - xs[0]) / (MIN_SAMPLES_PER_OUTPUT * (c1 - c0)));
            region = new ImageDecoder.Request(xs[0], ys[0], xs[1], ys[1], maxPx, maxPy);
        }
        return new Plan(rh, rw, top, left, r0, r1, c0, c1, region);
    }

    /** See {@link #plan}. */
    record Plan(int resizedH, int resizedW, int top, int left, int r0, int r1, int c0, int c1,
            ImageDecoder.Request region) {}
}
