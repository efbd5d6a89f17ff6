package dev.batchwise.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.stats.RunStats;
import dev.batchwise.time.Clock;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Images per second of the bundled nsfw model through batchwise's own pipeline (intake thread
 * decoding and preprocessing, queue, workers running the model), for a list of image files, at each
 * max batch size and worker count given, in interleaved rounds; prints JSON with the median of each
 * and a profile of where the time goes per image (decode and preprocess on the intake thread, the
 * model on the workers). Not a test: a tool for docs/images.md.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) dev.batchwise.model.ImageThroughput \
 *     --list images.txt [--repeat 3] [--rounds 3] [--batch 1,8,16,32] [--workers 1,2] [--threads 1]
 * </pre>
 */
public final class ImageThroughput {

    private ImageThroughput() {}

    public static void main(String[] args) throws Exception {
        Path list = null;
        int repeat = 1;
        int rounds = 3;
        List<Integer> batches = List.of(1, 8, 16, 32);
        List<Integer> workers = List.of(1);
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list" -> list = Path.of(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batch" -> batches = ints(args[++i]);
                case "--workers" -> workers = ints(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> files = Files.readAllLines(list).stream().filter(l -> !l.isBlank()).toList();
        Path input = Files.createTempFile("images", ".csv");
        List<String> lines = new ArrayList<>();
        lines.add("image");
        for (int r = 0; r < repeat; r++) {
            for (String f : files) {
                lines.add("\"" + f.replace("\"", "\"\"") + "\"");
            }
        }
        Files.write(input, lines);
        ModelCache cache = new ModelCache(Path.of("target", "comparison-cache"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("images_per_run", lines.size() - 1).put("distinct_images", files.size())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("load_average_before", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
        Map<String, RunStats> lastStats = new java.util.LinkedHashMap<>();
        try (ImageModel model = ImageModel.open("nsfw", new ModelOptions(Task.CLASSIFY, 0, 1, threads, cache),
                DecodeLimits.defaults())) {
            for (int round = 0; round < rounds; round++) {
                for (int w : workers) {
                    List<BatchFunction> functions = new ArrayList<>();
                    for (int k = 0; k < w; k++) {
                        functions.add(model.create());
                    }
                    try {
                        for (int b : batches) {
                            RunStats stats = run(model, functions, input, b, w);
                            String key = "batch " + b + ", workers " + w + ", threads " + threads;
                            rates.computeIfAbsent(key, k -> new ArrayList<>()).add(stats.throughputPerSecond());
                            lastStats.put(key, stats);
                        }
                    } finally {
                        for (BatchFunction f : functions) {
                            f.close();
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(input);
        }
        ArrayNode configs = out.putArray("configurations");
        rates.forEach((key, r) -> {
            RunStats s = lastStats.get(key);
            ObjectNode c = configs.addObject().put("configuration", key).put("images_per_second", median(r));
            c.putPOJO("images_per_second_each_round", r);
            c.put("mean_batch_size", s.meanBatchSize()).put("worker_busy_share", s.workerBusyShare());
            ObjectNode profile = c.putObject("ms_per_image");
            s.phases().forEach((phase, p) -> profile.put(phase, p.mean() * p.count() / s.records()));
            c.put("intake_cpu_ms_per_image", s.intakeCpuNanos() / 1e6 / s.records());
        });
        out.put("load_average_after", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage());
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static RunStats run(ImageModel model, List<BatchFunction> functions, Path input, int batch, int workers)
            throws Exception {
        var config = dev.batchwise.run.RunSpec.of(b -> {
            b.input.files = List.of(input.toString());
            b.input.format = InputFormat.CSV;
            b.batching.maxBatchSize = batch;
            b.batching.groupByLength = false;
            b.batching.lookahead = Math.max(batch, 64);
            b.batching.queueCapacity = Math.max(64, 4 * batch * workers);
        }).pipeline(model, workers);
        Outcome outcome = new Pipeline(config, Clock.SYSTEM, OrderedSink.Listener.none()).readAndRun(InputStream.nullInputStream(),
                layout -> OutputFormat.JSONL.open(OutputStream.nullOutputStream(), layout, true), w -> { },
                dev.batchwise.pipeline.ResumePoint.START, functions, java.util.function.UnaryOperator.identity());
        if (outcome.stats().failed() > 0) {
            throw new IllegalStateException(outcome.stats().failed() + " images failed");
        }
        return outcome.stats();
    }

    private static List<Integer> ints(String s) {
        return java.util.Arrays.stream(s.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private static double median(List<Double> v) {
        List<Double> sorted = v.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
