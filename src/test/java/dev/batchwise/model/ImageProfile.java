package dev.batchwise.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.image.RgbImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where one image's time goes with the bundled nsfw model, in CPU time of one thread (so that other
 * work on a shared machine moves it less than wall time): decoding by format, preprocessing, and the
 * model per image at each batch size (one intra-op thread, which runs on the calling thread). Prints
 * JSON; the best of several passes for each. Not a test: a tool for docs/images.md.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat cp.txt) dev.batchwise.model.ImageProfile --list images.txt</pre>
 */
public final class ImageProfile {

    private ImageProfile() {}

    public static void main(String[] args) throws Exception {
        Path list = Path.of(args[1]);
        int passes = 5;
        List<String> files = Files.readAllLines(list).stream().filter(l -> !l.isBlank()).toList();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode().put("images", files.size()).put("passes", passes);
        try (ImageModel model = ImageModel.open("nsfw", new ModelOptions(Task.CLASSIFY, 0, 1, 1,
                new ModelCache(Path.of("target", "comparison-cache"))), DecodeLimits.defaults());
                BatchFunction f = model.create()) {
            java.util.Map<String, double[]> decode = new java.util.TreeMap<>(); // format -> best total ms, count
            double preprocess = Double.MAX_VALUE;
            List<PreparedImage> prepared = new ArrayList<>();
            for (int pass = 0; pass < passes; pass++) {
                java.util.Map<String, double[]> thisPass = new java.util.TreeMap<>();
                double pre = 0;
                for (String file : files) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    RgbImage image = model.preprocessor().decode(Path.of(file), file);
                    long t1 = mx.getCurrentThreadCpuTime();
                    float[] values = model.preprocessor().apply(image);
                    long t2 = mx.getCurrentThreadCpuTime();
                    String format = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    double[] d = thisPass.computeIfAbsent(format, k -> new double[2]);
                    d[0] += (t1 - t0) / 1e6;
                    d[1]++;
                    pre += (t2 - t1) / 1e6;
                    if (pass == 0) {
                        prepared.add(new PreparedImage(values, 0, 0));
                    }
                }
                thisPass.forEach((k, v) -> decode.merge(k, v, (a, b) -> a[0] <= b[0] ? a : b));
                preprocess = Math.min(preprocess, pre / files.size());
            }
            ObjectNode d = out.putObject("decode_cpu_ms_per_image");
            decode.forEach((format, v) -> d.put(format, v[0] / v[1]));
            out.put("preprocess_cpu_ms_per_image", preprocess);
            ObjectNode m = out.putObject("model_cpu_ms_per_image_by_batch_size");
            for (int batch : new int[] {1, 2, 4, 8, 16, 32}) {
                List<Object> inputs = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    inputs.add(prepared.get(i % prepared.size()));
                }
                double best = Double.MAX_VALUE;
                int calls = Math.max(2, 64 / batch);
                for (int pass = 0; pass < passes; pass++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    for (int c = 0; c < calls; c++) {
                        f.apply(List.of(inputs), CallMetrics.NONE);
                    }
                    best = Math.min(best, (mx.getCurrentThreadCpuTime() - t0) / 1e6 / calls / batch);
                }
                m.put(Integer.toString(batch), best);
            }
        }
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
}
