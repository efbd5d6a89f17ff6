package dev.batchwise.benchmarks;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.cache.CachedFunctions;
import dev.batchwise.cache.OutputStore;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import dev.batchwise.result.Result;
import dev.batchwise.sink.CsvResultWriter;
import dev.batchwise.sink.EmbeddingEncoder;
import dev.batchwise.sink.EmbeddingFormat;
import dev.batchwise.sink.JsonlResultWriter;
import dev.batchwise.sink.NpyResultWriter;
import dev.batchwise.sink.OutputLayout;
import dev.batchwise.sink.ParquetResultWriter;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.Origin;
import dev.batchwise.testing.CacheCounts;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache and the output formats, measured through the model classes (scripts/bench-embeddings
 * runs it and says how). Prints one JSON object.
 *
 * <p>Cache: N records (STS Benchmark sentences, each with its number appended, so all differ) run
 * through the cached model three times in batches of 32: into an empty cache, again unchanged, and
 * with every hundredth record edited. Formats: the N vectors the cache now holds, written in each
 * format, rounds interleaved, medians of records/s, and each file's size.
 */
public final class EmbeddingsBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        String model = args.length > 2 ? args[2] : "minilm";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        // "again": the cache of an earlier run is kept, and only the runs over it are measured
        boolean again = args.length > 4 && args[4].equals("again");
        Files.createDirectories(work);
        List<String> texts = texts(n);
        ObjectNode report = JsonMapper.builder().build().createObjectNode();
        report.put("records", n).put("model", model).put("cores", Runtime.getRuntime().availableProcessors());
        ModelCache cache = new ModelCache(work.resolve("model-cache"));
        Path store = work.resolve("cache.sqlite");
        if (!again) {
            Files.deleteIfExists(store);
        }
        List<Object> vectors;
        try (TextModel m = TextModel.open(ModelFiles.resolve(model, cache), new ModelOptions(Task.EMBED, 0, 1,
                Runtime.getRuntime().availableProcessors(), cache));
                OutputStore s = OutputStore.open(store)) {
            CachedFunctions cached = CachedFunctions.wrap(m, CachedFunctions.identity(m.contentDigest(),
                    m.describeSettings()), s);
            ObjectNode c = report.putObject("cache");
            if (!again) {
                c.set("first_run", run(cached, texts));
            }
            c.set("second_run", run(cached, texts));
            List<String> edited = new ArrayList<>(texts);
            for (int i = 0; i < n; i += 100) {
                edited.set(i, edited.get(i) + (again ? " (edited again)" : " (edited)"));
            }
            c.set("after_editing_1_percent", run(cached, edited));
            if (!again) {
                c.put("second_run_speedup", c.get("first_run").get("seconds").asDouble()
                        / c.get("second_run").get("seconds").asDouble());
            }
            c.put("store_bytes", Files.size(store));
            vectors = collect(cached, texts);
        }
        if (rounds > 0) {
            report.set("formats", formats(vectors, work, rounds));
        }
        System.out.println(report.toPrettyString());
    }

    static List<String> texts(int n) throws Exception {
        List<String> sentences = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(
                EmbeddingsBench.class.getResourceAsStream("/stsbenchmark/sts-test.csv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                sentences.add(f[5]);
                sentences.add(f[6]);
            }
        }
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            texts.add(sentences.get(i % sentences.size()) + " (" + (i + 1) + ")");
        }
        return texts;
    }

    /** One pass in batches of 32, as a worker would: prepare each record, then call. */
    static ObjectNode run(CachedFunctions f, List<String> texts) throws Exception {
        CacheCounts metrics = new CacheCounts();
        long start = System.nanoTime();
        try (BatchFunction fn = f.create()) {
            for (int from = 0; from < texts.size(); from += 32) {
                List<Object> batch = new ArrayList<>();
                for (String t : texts.subList(from, Math.min(texts.size(), from + 32))) {
                    Object[] args = {t};
                    f.prepare(args);
                    batch.add(args[0]);
                }
                fn.apply(List.of(batch), metrics);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode o = JsonMapper.builder().build().createObjectNode();
        o.put("seconds", seconds).put("records_per_second", texts.size() / seconds).put("hits", metrics.hits)
                .put("misses", metrics.misses);
        return o;
    }

    static List<Object> collect(CachedFunctions f, List<String> texts) throws Exception {
        List<Object> out = new ArrayList<>();
        try (BatchFunction fn = f.create()) {
            for (int from = 0; from < texts.size(); from += 500) {
                List<Object> batch = new ArrayList<>(texts.subList(from, Math.min(texts.size(), from + 500)));
                out.addAll(fn.apply(List.of(batch)).get(0));
            }
        }
        return out;
    }

    /** Writers of each format over a file; each gets the same results. */
    static ObjectNode formats(List<Object> vectors, Path work, int rounds) throws Exception {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        String[] names = {"jsonl", "csv", "parquet", "npy", "jsonl+float16", "jsonl+int8", "jsonl+binary",
            "jsonl+base64", "parquet+float16", "parquet+int8", "parquet+binary", "npy+float16", "npy+int8", "npy+binary"};
        OutputLayout layout = new OutputLayout(List.of("embedding"), false);
        Origin origin = new Origin("bench", 1);
        for (int round = 0; round < rounds; round++) {
            for (String name : names) {
                String[] parts = name.split("\\+");
                EmbeddingEncoder encoder = EmbeddingEncoder.of(parts.length > 1
                        ? EmbeddingFormat.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT)) : EmbeddingFormat.FLOAT);
                Path file = work.resolve("out." + parts[0]);
                long start = System.nanoTime();
                try (ResultWriter w = open(parts[0], file, layout)) {
                    for (int i = 0; i < vectors.size(); i++) {
                        Object v = encoder.encode(vectors.get(i));
                        w.write(new Result(i + 1, (long) (i + 1), origin, new Object[] {v}, null, null, 0, 0, 0, 32));
                        if (i % 256 == 255) {
                            w.flush();
                        }
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                rates.computeIfAbsent(name, k -> new ArrayList<>()).add(vectors.size() / seconds);
                sizes.put(name, Files.size(file) + (parts[0].equals("npy") ? Files.size(work.resolve("out.ids.jsonl")) : 0));
            }
        }
        ObjectNode o = JsonMapper.builder().build().createObjectNode();
        double jsonl = median(rates.get("jsonl"));
        for (String name : names) {
            ObjectNode f = o.putObject(name);
            f.put("records_per_second_median", median(rates.get(name)));
            f.put("vs_jsonl", median(rates.get(name)) / jsonl);
            f.put("bytes", sizes.get(name));
            f.put("bytes_per_record", (double) sizes.get(name) / vectors.size());
        }
        return o;
    }

    private static ResultWriter open(String format, Path file, OutputLayout layout) throws Exception {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return switch (format) {
            case "jsonl" -> closing(new JsonlResultWriter(out, layout), out);
            case "csv" -> closing(new CsvResultWriter(out, layout, true), out);
            case "parquet" -> new ParquetResultWriter(out, layout);
            default -> {
                out.close();
                yield new NpyResultWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING),
                        new BufferedOutputStream(Files.newOutputStream(file.resolveSibling("out.ids.jsonl")), 1 << 16),
                        layout);
            }
        };
    }

    private static ResultWriter closing(ResultWriter w, OutputStream out) {
        return new ResultWriter() {
            @Override
            public void write(Result r) throws java.io.IOException {
                w.write(r);
            }

            @Override
            public void flush() throws java.io.IOException {
                w.flush();
            }

            @Override
            public void close() throws java.io.IOException {
                w.close();
                out.close();
            }
        };
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
