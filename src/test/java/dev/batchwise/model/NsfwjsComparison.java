package dev.batchwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.image.ImageDecoder;
import dev.batchwise.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Compares the bundled nsfw model with nsfwjs on the same image files: reads what
 * scripts/nsfwjs-reference.mjs printed, classifies each file with batchwise, and prints JSON: top-1
 * agreement, the probability differences by decoder (PNG: both decoders lossless, so what is left is
 * resize and model arithmetic; JPEG: jpeg-js against libjpeg), and, with {@code --pixels DIR} (the
 * node script's --dump-pixels), how far the two JPEG decoders' pixels differ. Not a test: a tool
 * for docs/images.md.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) dev.batchwise.model.NsfwjsComparison nsfwjs.json [--pixels DIR]</pre>
 */
public final class NsfwjsComparison {

    private NsfwjsComparison() {}

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode reference = json.readTree(Path.of(args[0]).toFile());
        Path pixels = args.length > 2 && args[1].equals("--pixels") ? Path.of(args[2]) : null;
        List<String> classes = new ArrayList<>();
        reference.get("classes").forEach(c -> classes.add(c.asText()));
        ModelCache cache = new ModelCache(Path.of("target", "comparison-cache"));
        ObjectNode out = json.createObjectNode();
        ArrayNode rows = json.createArrayNode();
        Stats png = new Stats();
        Stats jpeg = new Stats();
        Stats subsampled = new Stats();
        int agree = 0;
        int total = 0;
        ArrayNode disagreements = out.putArray("disagreements");
        ImageDecoder whole = new ImageDecoder(new DecodeLimits(DecodeLimits.DEFAULT_MAX_PIXELS, Long.MAX_VALUE));
        Stats pixelDiffs = new Stats();
        Stats samePixels = new Stats();
        try (ImageModel model = ImageModel.open("nsfw", new ModelOptions(Task.CLASSIFY, 0, classes.size(), 1, cache),
                DecodeLimits.defaults()); BatchFunction f = model.create()) {
            int index = 0;
            for (JsonNode image : reference.get("images")) {
                String file = image.get("file").asText();
                Object[] prepared = {file};
                model.prepare(prepared);
                List<? extends List<?>> result = f.apply(List.of(List.of(prepared[0])), CallMetrics.NONE);
                double[] ours = new double[classes.size()];
                for (Object entry : (List<?>) result.get(2).get(0)) {
                    Map<?, ?> m = (Map<?, ?>) entry;
                    ours[classes.indexOf((String) m.get("label"))] = (Double) m.get("score");
                }
                double[] theirs = new double[classes.size()];
                for (int k = 0; k < theirs.length; k++) {
                    theirs[k] = image.get("probabilities").get(k).asDouble();
                }
                double worst = 0;
                for (int k = 0; k < theirs.length; k++) {
                    worst = Math.max(worst, Math.abs(ours[k] - theirs[k]));
                }
                boolean big = (long) image.get("width").asInt() * image.get("height").asInt()
                        > DecodeLimits.DEFAULT_FULL_DECODE_PIXELS;
                String lower = file.toLowerCase(java.util.Locale.ROOT);
                (big ? subsampled : lower.endsWith(".png") ? png : jpeg).add(worst);
                total++;
                if (argmax(ours) == argmax(theirs)) {
                    agree++;
                } else {
                    disagreements.addObject().put("file", file).put("batchwise", classes.get(argmax(ours)))
                            .put("nsfwjs", classes.get(argmax(theirs))).put("max_abs_difference", worst)
                            .putPOJO("batchwise_p", ours).putPOJO("nsfwjs_p", theirs);
                }
                rows.addObject().put("file", file).put("max_abs_difference", worst);
                if (pixels != null && !lower.endsWith(".png") && Files.exists(pixels.resolve(index + ".rgb"))) {
                    byte[] js = Files.readAllBytes(pixels.resolve(index + ".rgb"));
                    RgbImage decoded = whole.decode(Path.of(file), file);
                    if (decoded.rgb().length == js.length) {
                        long sum = 0;
                        for (int i = 0; i < js.length; i++) {
                            sum += Math.abs((js[i] & 0xFF) - (decoded.rgb()[i] & 0xFF));
                        }
                        pixelDiffs.add((double) sum / js.length);
                        // jpeg-js's own pixels through batchwise: what is left is resize and model arithmetic
                        float[] values = model.preprocessor().apply(RgbImage.whole(decoded.width(), decoded.height(), js));
                        List<? extends List<?>> same = f.apply(List.of(List.of(new PreparedImage(values, 0, 0))),
                                CallMetrics.NONE);
                        double w = 0;
                        for (Object entry : (List<?>) same.get(2).get(0)) {
                            Map<?, ?> m = (Map<?, ?>) entry;
                            int k = classes.indexOf((String) m.get("label"));
                            w = Math.max(w, Math.abs((Double) m.get("score") - theirs[k]));
                        }
                        samePixels.add(w);
                    }
                }
                index++;
            }
        }
        out.put("images", total).put("top1_agreement", (double) agree / total);
        out.set("png_max_abs_difference", png.json(json));
        out.set("jpeg_max_abs_difference", jpeg.json(json));
        out.set("subsampled_max_abs_difference", subsampled.json(json));
        if (pixels != null) {
            out.set("jpeg_decoder_mean_abs_pixel_difference", pixelDiffs.json(json));
            out.set("jpeg_on_jpegjs_pixels_max_abs_difference", samePixels.json(json));
        }
        out.set("per_image", rows);
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A distribution: count, median, 95th and 99th percentile, maximum. */
    private static final class Stats {
        private final List<Double> values = new ArrayList<>();

        void add(double v) {
            values.add(v);
        }

        ObjectNode json(ObjectMapper m) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            ObjectNode o = m.createObjectNode().put("count", v.length);
            if (v.length > 0) {
                o.put("median", v[v.length / 2]).put("p95", v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.95) - 1)])
                        .put("p99", v[(int) Math.min(v.length - 1, Math.ceil(v.length * 0.99) - 1)])
                        .put("max", v[v.length - 1]).put("mean", Arrays.stream(v).average().orElse(0));
            }
            return o;
        }
    }
}
