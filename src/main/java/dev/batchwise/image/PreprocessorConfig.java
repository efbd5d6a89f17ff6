package dev.batchwise.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a model's {@code preprocessor_config.json} says to do to an image, as Hugging Face's image
 * processors (ViT's, CLIP's, ConvNeXT's) read it, validated once. The steps run in Hugging Face's
 * order: convert to RGB, resize, centre crop, rescale, normalise.
 *
 * <ul>
 *   <li>{@code do_resize} (default true) with {@code size}: {@code {"height", "width"}} resizes to
 *       that; {@code {"shortest_edge"}} scales the shorter side to it, keeping the aspect ratio (the
 *       longer side truncated, as {@code get_resize_output_image_size}); a bare number is a square,
 *       or a shortest edge when a centre crop follows (as CLIP's older configs mean it). {@code
 *       resample}: Pillow's filter code (default 2, bilinear, {@code resize}'s own default).
 *   <li>{@code do_center_crop} (default false) with {@code crop_size}; an image smaller than the crop
 *       is padded with zeros, as {@code center_crop} pads.
 *   <li>{@code do_rescale} (default true) with {@code rescale_factor} (default 1/255).
 *   <li>{@code do_normalize} (default true) with {@code image_mean} and {@code image_std}, required.
 *   <li>{@code do_convert_rgb}: read; images always reach the model as three channels (alpha dropped,
 *       grey repeated), which is what a model with three input channels needs.
 *   <li>ConvNeXT's processor ({@code image_processor_type} ConvNext...): {@code crop_pct} (default
 *       224/256): a shortest edge under 384 is resized to {@code shortest_edge / crop_pct} and then
 *       centre-cropped to a square of {@code shortest_edge}; 384 and above is resized to that square.
 *   <li>{@code do_flip_channel_order} (MobileViT's): the channels go in as blue, green, red.
 *   <li>An addition of batchwise's, {@code align_corners} (default false): resize with point-sampled
 *       bilinear interpolation whose corner pixels stay put, as TensorFlow's {@code
 *       resize_bilinear(align_corners=True)} and PyTorch's {@code interpolate(mode="bilinear",
 *       align_corners=True)} do, in floating point, on samples already rescaled. Only with resample 2.
 * </ul>
 */
public final class PreprocessorConfig {

    /** How big {@code size} says the resized image is. */
    public sealed interface Size permits Size.Exact, Size.ShortestEdge {
        /** Exactly this many pixels. */
        record Exact(int height, int width) implements Size {}

        /** The shorter side this long, the longer one in proportion. */
        record ShortestEdge(int edge) implements Size {}
    }

    private static final double CONVNEXT_DEFAULT_CROP_PCT = 224.0 / 256.0;
    private static final int CONVNEXT_WARP_FROM = 384;

    final boolean doResize;
    final Size size;
    final Resample resample;
    final boolean alignCorners;
    final boolean doCenterCrop;
    final int cropHeight;
    final int cropWidth;
    final boolean doRescale;
    final double rescaleFactor;
    final boolean doNormalize;
    final float[] mean;
    final float[] std;
    final boolean flipChannels;

    private PreprocessorConfig(boolean doResize, Size size, Resample resample, boolean alignCorners,
            boolean doCenterCrop, int cropHeight, int cropWidth, boolean doRescale, double rescaleFactor,
            boolean doNormalize, float[] mean, float[] std, boolean flipChannels) {
        this.doResize = doResize;
        this.size = size;
        this.resample = resample;
        this.alignCorners = alignCorners;
        this.doCenterCrop = doCenterCrop;
        this.cropHeight = cropHeight;
        this.cropWidth = cropWidth;
        this.doRescale = doRescale;
        this.rescaleFactor = rescaleFactor;
        this.doNormalize = doNormalize;
        this.mean = mean;
        this.std = std;
        this.flipChannels = flipChannels;
    }

    /** Reads and checks a {@code preprocessor_config.json}. */
    public static PreprocessorConfig read(Path file) throws ImageConfigException {
        JsonNode json;
        try {
            json = JsonMapper.builder().build().readTree(file.toFile());
        } catch (IOException e) {
            throw new ImageConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(json, file.toString());
    }

    /**
     * @param source how messages name the file
     */
    public static PreprocessorConfig parse(JsonNode json, String source) throws ImageConfigException {
        if (json == null || !json.isObject()) {
            throw new ImageConfigException(source + " is not a JSON object");
        }
        Reader r = new Reader(json, source);
        boolean doResize = r.bool("do_resize", true);
        boolean doCenterCrop = r.bool("do_center_crop", false);
        boolean convnext = r.processorType().startsWith("convnext");
        Size size = null;
        Resample resample = Resample.BILINEAR;
        int cropH = 0;
        int cropW = 0;
        if (doResize) {
            size = r.size("size", doCenterCrop);
            int code = r.integer("resample", Resample.BILINEAR.code());
            resample = Resample.ofCode(code);
            if (resample == null) {
                throw r.bad("resample", code + " is not one of Pillow's filters (0 nearest, 1 lanczos, 2 bilinear, "
                        + "3 bicubic, 4 box, 5 hamming)");
            }
            if (convnext && size instanceof Size.ShortestEdge se) {
                double cropPct = json.hasNonNull("crop_pct") ? r.number("crop_pct") : CONVNEXT_DEFAULT_CROP_PCT;
                if (!(cropPct > 0 && cropPct <= 1)) {
                    throw r.bad("crop_pct", cropPct + " is not in (0, 1]");
                }
                if (se.edge() < CONVNEXT_WARP_FROM) {
                    size = new Size.ShortestEdge((int) (se.edge() / cropPct));
                    doCenterCrop = true;
                    cropH = se.edge();
                    cropW = se.edge();
                } else {
                    size = new Size.Exact(se.edge(), se.edge());
                    doCenterCrop = false;
                }
            }
        }
        if (doCenterCrop && cropH == 0) {
            Size crop = r.size("crop_size", false);
            if (!(crop instanceof Size.Exact exact)) {
                throw r.bad("crop_size", "must give height and width");
            }
            cropH = exact.height();
            cropW = exact.width();
        }
        boolean alignCorners = r.bool("align_corners", false);
        if (alignCorners && (!doResize || resample != Resample.BILINEAR)) {
            throw r.bad("align_corners", "needs do_resize with resample 2 (bilinear)");
        }
        boolean doRescale = r.bool("do_rescale", true);
        double factor = doRescale ? (json.hasNonNull("rescale_factor") ? r.number("rescale_factor") : 1.0 / 255) : 1.0;
        boolean doNormalize = r.bool("do_normalize", true);
        float[] mean = doNormalize ? r.triple("image_mean") : null;
        float[] std = doNormalize ? r.triple("image_std") : null;
        if (std != null) {
            for (float s : std) {
                if (!(s != 0) || !Float.isFinite(s)) {
                    throw r.bad("image_std", "holds " + s + "; each must be a non-zero number");
                }
            }
        }
        r.bool("do_convert_rgb", true);
        boolean flip = r.bool("do_flip_channel_order", false);
        return new PreprocessorConfig(doResize, size, resample, alignCorners, doCenterCrop, cropH, cropW, doRescale,
                factor, doNormalize, mean, std, flip);
    }

    /**
     * The height and width every image comes out as, or {@code null} when it depends on the image (a
     * shortest-edge resize with no crop, or no resize and no crop).
     */
    public int[] outputSize() {
        if (doCenterCrop) {
            return new int[] {cropHeight, cropWidth};
        }
        if (doResize && size instanceof Size.Exact e) {
            return new int[] {e.height(), e.width()};
        }
        return null;
    }

    /** One line on what the steps are, for messages and the stats. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (doResize) {
            b.append(size instanceof Size.Exact e ? "resize to " + e.width() + "x" + e.height()
                    : "resize shortest edge to " + ((Size.ShortestEdge) size).edge()).append(" (").append(resample.name().toLowerCase(Locale.ROOT))
                    .append(alignCorners ? ", corners aligned" : "").append(")");
        }
        if (doCenterCrop) {
            b.append(b.isEmpty() ? "" : ", ").append("crop ").append(cropWidth).append("x").append(cropHeight);
        }
        if (doRescale) {
            b.append(b.isEmpty() ? "" : ", ").append("rescale by ").append(rescaleFactor);
        }
        if (doNormalize) {
            b.append(b.isEmpty() ? "" : ", ").append("normalise");
        }
        return b.isEmpty() ? "as decoded" : b.toString();
    }

    /** Reads typed keys, with messages naming the file and key. */
    private static final class Reader {
        private final JsonNode json;
        private final String source;

        Reader(JsonNode json, String source) {
            this.json = json;
            this.source = source;
        }

        ImageConfigException bad(String key, String why) {
            return new ImageConfigException(source + ": " + key + ": " + why);
        }

        String processorType() {
            String t = json.path("image_processor_type").asText(json.path("feature_extractor_type").asText(""));
            return t.toLowerCase(Locale.ROOT);
        }

        boolean bool(String key, boolean fallback) throws ImageConfigException {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw bad(key, v + " is not true or false");
            }
            return v.booleanValue();
        }

        int integer(String key, int fallback) throws ImageConfigException {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.canConvertToExactIntegral() || !v.canConvertToInt()) {
                throw bad(key, v + " is not a whole number");
            }
            return v.intValue();
        }

        double number(String key) throws ImageConfigException {
            JsonNode v = json.get(key);
            if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw bad(key, (v == null ? "missing" : v + " is not a number"));
            }
            return v.doubleValue();
        }

        float[] triple(String key) throws ImageConfigException {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                throw bad(key, "missing; do_normalize needs image_mean and image_std (three numbers each)");
            }
            if (v.isNumber()) {
                float f = v.floatValue();
                return new float[] {f, f, f};
            }
            if (!v.isArray() || v.size() != 3) {
                throw bad(key, v + " is not three numbers (red, green, blue)");
            }
            float[] out = new float[3];
            for (int i = 0; i < 3; i++) {
                if (!v.get(i).isNumber()) {
                    throw bad(key, v + " is not three numbers (red, green, blue)");
                }
                out[i] = v.get(i).floatValue();
            }
            return out;
        }

        /** A size: a number, {height, width} or {shortest_edge}. */
        Size size(String key, boolean bareMeansShortest) throws ImageConfigException {
            JsonNode v = json.get(key);
            if (v == null || v.isNull()) {
                throw bad(key, "missing");
            }
            if (v.isNumber()) {
                int n = positive(key, v);
                return bareMeansShortest ? new Size.ShortestEdge(n) : new Size.Exact(n, n);
            }
            if (!v.isObject()) {
                throw bad(key, v + " is neither a number nor an object");
            }
            if (v.has("longest_edge") || v.has("max_height") || v.has("max_width")) {
                throw bad(key, v + ": a longest edge or maximum is not supported; give height and width, or "
                        + "shortest_edge");
            }
            if (v.has("height") || v.has("width")) {
                if (!v.has("height") || !v.has("width")) {
                    throw bad(key, v + " needs both height and width");
                }
                return new Size.Exact(positive(key, v.get("height")), positive(key, v.get("width")));
            }
            if (v.has("shortest_edge")) {
                return new Size.ShortestEdge(positive(key, v.get("shortest_edge")));
            }
            throw bad(key, v + " has neither height and width nor shortest_edge");
        }

        private int positive(String key, JsonNode n) throws ImageConfigException {
            if (!n.canConvertToExactIntegral() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 16384) {
                throw bad(key, n + " is not a whole number of pixels from 1 to 16384");
            }
            return n.intValue();
        }
    }
}
