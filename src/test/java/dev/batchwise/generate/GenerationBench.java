package dev.batchwise.generate;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.fn.StepLoop;
import dev.batchwise.fn.StepPlanner;
import dev.batchwise.model.ModelCache;
import dev.batchwise.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine-level generation benchmark (not a test): prints JSON with output tokens/s at batch 1
 * and under continuous and static batching at the same max batch size on one workload, p50/p99
 * latency from a burst arrival, the machine's memory read bandwidth and batch 1 against the bound
 * it sets, and where the engine's time went. scripts/bench-generation runs it.
 *
 * <p>Arguments: MODEL_DIR [prompts=256] [batch=16] [threads=2] [batch1Prompts=8] [workloadOut=FILE]
 */
public final class GenerationBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int prompts = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int b1Prompts = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        Path workloadOut = args.length > 5 ? Path.of(args[5]) : null;
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode report = json.createObjectNode();

        double bandwidth = MemoryBandwidth.measureGbPerSecond(threads);
        report.putObject("machine").put("nproc", Runtime.getRuntime().availableProcessors())
                .put("avx512_vnni", Files.readString(Path.of("/proc/cpuinfo")).contains("avx512_vnni"))
                .put("memory_read_gb_per_s", round(bandwidth)).put("ort_threads", threads);

        // the workload: prompts of 32-256 random tokens, max_tokens log-uniform over 16-512, stop tokens ignored
        SplittableRandom random = new SplittableRandom(20);
        List<int[]> ids = new ArrayList<>();
        List<Integer> maxTokens = new ArrayList<>();
        for (int i = 0; i < prompts; i++) {
            int[] p = new int[32 + random.nextInt(225)];
            for (int j = 0; j < p.length; j++) {
                p[j] = 100 + random.nextInt(49000);
            }
            ids.add(p);
            maxTokens.add((int) Math.round(16 * Math.pow(32, random.nextDouble())));
        }
        ObjectNode w = report.putObject("workload");
        w.put("prompts", prompts).put("prompt_tokens", ids.stream().mapToInt(a -> a.length).sum())
                .put("output_tokens", maxTokens.stream().mapToInt(Integer::intValue).sum())
                .put("max_batch_size", batch).put("arrival", "burst at 0");
        if (workloadOut != null) {
            ObjectNode out = json.createObjectNode();
            ArrayNode ps = out.putArray("prompt_ids");
            ids.forEach(a -> {
                ArrayNode row = ps.addArray();
                Arrays.stream(a).forEach(row::add);
            });
            ArrayNode mt = out.putArray("max_tokens");
            maxTokens.forEach(mt::add);
            json.writeValue(workloadOut.toFile(), out);
        }
        List<GenerationRequest> requests = new ArrayList<>();
        SamplingParams fixed = SamplingParams.GREEDY.withIgnoreEos(true);
        for (int i = 0; i < prompts; i++) {
            requests.add(GenerationRequest.tokens(ids.get(i), fixed.withMaxTokens(maxTokens.get(i)), i));
        }
        long weights = json.readTree(dir.resolve("weights.json").toFile()).get("bytes_read_per_step").asLong();
        report.putObject("model").put("dir", dir.toString()).put("weight_bytes_read_per_token_at_batch_1", weights)
                .put("bandwidth_bound_tokens_per_s", round(bandwidth * 1e9 / weights));

        GenerationOptions options = GenerationOptions.of(fixed).withKvCacheBytes(4L << 30);
        try (DecoderModel model = DecoderModel.open(dir, new ModelCache(Path.of("target", "bench-cache")), threads)) {
            ((ObjectNode) report.get("model")).put("attention", model.inPlaceAttention()
                    ? "in place (GroupQueryAttention)" : "as exported: " + model.exportedAttentionReason());
            warmUp(model, options);
            ObjectNode b1 = continuous(model, options, requests.subList(0, b1Prompts), 1, json);
            double boundFraction = b1.get("decode_tokens_per_s").asDouble() / (bandwidth * 1e9 / weights);
            b1.put("decode_fraction_of_bandwidth_bound", round(boundFraction));
            report.set("batch_1", b1);
            report.set("continuous", continuous(model, options, requests, batch, json));
            report.set("static", staticBatches(model, options, requests, batch, json));
        }
        report.set("ort_decode_profile", ortProfile(dir, threads, batch, options, json));
        ObjectNode c = (ObjectNode) report.get("continuous");
        ObjectNode s = (ObjectNode) report.get("static");
        report.putObject("ratios")
                .put("continuous_over_batch_1_tokens_per_s", round(c.get("output_tokens_per_s").asDouble()
                        / report.get("batch_1").get("output_tokens_per_s").asDouble()))
                .put("continuous_over_static_tokens_per_s", round(c.get("output_tokens_per_s").asDouble()
                        / s.get("output_tokens_per_s").asDouble()))
                .put("continuous_over_static_p99", round(c.get("latency_p99_s").asDouble() / s.get("latency_p99_s").asDouble()));
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }

    /**
     * ONNX Runtime's own profile of decoding steps: {@code batch} rows of 200-token prompts, 40 steps,
     * each operator type's share of the time inside the decoding calls (the prefill call left out). The
     * Concat share is the copy of past into present that Optimum's layout makes at every step.
     */
    private static ObjectNode ortProfile(Path dir, int threads, int batch, GenerationOptions options, JsonMapper json)
            throws Exception {
        String file;
        try (DecoderModel model = DecoderModel.open(dir, new ModelCache(Path.of("target", "bench-cache")), threads,
                Path.of("target", "ort-profile").toAbsolutePath().toString())) {
            DecoderEngine engine = new DecoderEngine(model, options.maxPrefillLogitsBytes());
            for (int i = 0; i < batch; i++) {
                int[] prompt = new int[200];
                Arrays.fill(prompt, 100 + i);
                engine.add(i, GenerationRequest.tokens(prompt, options.defaults().withMaxTokens(40), i));
            }
            while (engine.running() > 0) {
                engine.step();
            }
            file = model.endProfiling();
        }
        com.fasterxml.jackson.databind.JsonNode events = json.readTree(Path.of(file).toFile());
        java.util.TreeMap<String, Long> byOp = new java.util.TreeMap<>();
        long firstRunEnd = Long.MAX_VALUE;
        for (var e : events) {
            if ("model_run".equals(e.path("name").asText())) {
                firstRunEnd = Math.min(firstRunEnd, e.get("ts").asLong() + e.get("dur").asLong());
            }
        }
        long total = 0;
        for (var e : events) {
            if ("Node".equals(e.path("cat").asText()) && e.get("ts").asLong() > firstRunEnd
                    && e.path("name").asText().endsWith("_kernel_time")) {
                String op = e.path("args").path("op_name").asText("?");
                byOp.merge(op, e.get("dur").asLong(), Long::sum);
                total += e.get("dur").asLong();
            }
        }
        Files.deleteIfExists(Path.of(file));
        ObjectNode o = json.createObjectNode();
        o.put("rows", batch).put("prompt_tokens", 200).put("decode_steps", 39).put("kernel_seconds", round(total / 1e6));
        ObjectNode shares = o.putObject("share_by_operator");
        final long all = total;
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() * 200 > all).forEach(e -> shares.put(e.getKey(), round((double) e.getValue() / all)));
        return o;
    }

    private static void warmUp(DecoderModel model, GenerationOptions options) throws Exception {
        try (SteppedGeneration<Integer> f = new SteppedGeneration<>(model, options)) {
            for (int i = 0; i < 4; i++) {
                f.admit(i, List.of(GenerationRequest.tokens(new int[40 + i], options.defaults().withMaxTokens(8), i)));
            }
            while (!f.running().isEmpty()) {
                f.step();
                f.drain();
            }
        }
    }

    private static ObjectNode continuous(DecoderModel model, GenerationOptions options, List<GenerationRequest> requests,
            int batch, JsonMapper json) throws Exception {
        Deque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < requests.size(); i++) {
            queue.add(i);
        }
        double[] latency = new double[requests.size()];
        long[] tokens = new long[1];
        long start = System.nanoTime();
        try (SteppedGeneration<Integer> f = new SteppedGeneration<>(model, options)) {
            StepLoop<Integer> loop = new StepLoop<>(f, i -> List.of(requests.get(i)),
                    new StepPlanner.Budget(batch, 2048, options.kvCacheBytes(), true), Clock.SYSTEM);
            loop.run(new StepLoop.Waiting<>() {
                @Override
                public List<Integer> peek(int max) {
                    return queue.stream().limit(max).toList();
                }

                @Override
                public void take(int n) {
                    for (int i = 0; i < n; i++) {
                        queue.poll();
                    }
                }

                @Override
                public boolean awaitRecord() {
                    return !queue.isEmpty();
                }
            }, (c, admitted, first, done) -> {
                if (c.failed()) {
                    throw new IllegalStateException(c.failure());
                }
                latency[c.key()] = (done - start) / 1e9;
                tokens[0] += (Long) c.outputs().get(3);
            });
            return result(json, "continuous", batch, tokens[0], System.nanoTime() - start, latency, f.profile());
        }
    }

    private static ObjectNode staticBatches(DecoderModel model, GenerationOptions options, List<GenerationRequest> requests,
            int batch, JsonMapper json) throws Exception {
        double[] latency = new double[requests.size()];
        long tokens = 0;
        long start = System.nanoTime();
        try (StaticGeneration f = new StaticGeneration(model, options)) {
            for (int from = 0; from < requests.size(); from += batch) {
                int to = Math.min(requests.size(), from + batch);
                List<Object> prompts = new ArrayList<>(requests.subList(from, to));
                List<? extends List<?>> out = f.apply(List.of(prompts));
                double done = (System.nanoTime() - start) / 1e9;
                for (int i = from; i < to; i++) {
                    latency[i] = done;
                    tokens += (Long) out.get(3).get(i - from);
                }
            }
            return result(json, "static", batch, tokens, System.nanoTime() - start, latency, f.profile());
        }
    }

    private static ObjectNode result(JsonMapper json, String how, int batch, long tokens, long nanos, double[] latency,
            EngineProfile p) {
        ObjectNode o = json.createObjectNode();
        double seconds = nanos / 1e9;
        double[] sorted = latency.clone();
        Arrays.sort(sorted);
        o.put("batching", how).put("max_batch_size", batch).put("records", latency.length).put("output_tokens", tokens)
                .put("seconds", round(seconds)).put("output_tokens_per_s", round(tokens / seconds))
                .put("decode_tokens_per_s", round(p.decodeRows() / (p.decodeRunNanos() / 1e9)))
                .put("latency_p50_s", round(sorted[(int) Math.floor(0.5 * (sorted.length - 1))]))
                .put("latency_p99_s", round(sorted[(int) Math.ceil(0.99 * (sorted.length - 1))]))
                .put("mean_running", round(p.meanRunning())).put("steps", p.steps())
                .put("decode_padding_fraction", round(1 - (double) p.decodeRealPositions() / p.decodePositions()));
        ObjectNode share = o.putObject("time_share");
        double total = nanos;
        for (Map.Entry<String, Long> e : Map.of("ort_prefill", p.prefillRunNanos(), "ort_decode", p.decodeRunNanos(),
                "inputs", p.inputNanos(), "kv_relayout", p.kvCopyNanos(), "sampling", p.sampleNanos(),
                "detokenize", p.detokenizeNanos()).entrySet()) {
            share.put(e.getKey(), round(e.getValue() / total));
        }
        share.put("other", round((total - p.totalNanos()) / total));
        o.putObject("kv").put("relayouts", p.rebuilds()).put("copied_bytes", p.kvCopiedBytes())
                .put("peak_buffer_bytes", p.kvPeakBytes());
        o.putObject("prefill").put("calls", p.prefillCalls()).put("tokens", p.prefillTokens())
                .put("padded_tokens", p.prefillPaddedTokens());
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
