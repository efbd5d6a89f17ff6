package dev.batchwise.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.stats.StatsReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --json FILE}: the sweep as JSON, and reading one back for {@code --compare}. Format 1:
 * {@code {"format": "batchwise-bench/1", "command": [...], "machine": {...}, "function": ...,
 * "kind": "offline" or "server", "recommendation": {...} (as {@link Recommendation} prints it), "slo": "p99<=200ms", "objective": ..., "load_seconds": {"2": 1.3}, "chosen": KEY, "timed_out": KEY,
 * "points": [{"key": ..., "workers": ..., ..., "pareto": true, "meets_slo": true, "timed_out": false}],
 * a generation point with {@code "generation": {"output_tokens_per_second": ..., "ttft_ms": ..., ...}},
 * "rate_searches": [...]}}. A timed-out point's figures are null. Files written before
 * {@code "timed_out"} was added read as sweeps in which nothing timed out.
 */
public final class BenchJson {

    public static final String FORMAT = "batchwise-bench/1";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private BenchJson() {}

    public static ObjectNode json(BenchRun run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode command = root.putArray("command");
        run.command().forEach(command::add);
        root.set("machine", JSON.valueToTree(run.machine()));
        root.put("function", run.function());
        root.put("kind", run.offline() ? "offline" : "server");
        ObjectNode plan = root.putObject("plan");
        plan.put("warmup_seconds", run.plan().warmupNanos() / 1e9);
        plan.put("window_seconds", run.plan().windowNanos() / 1e9);
        plan.put("max_windows", run.plan().maxWindows());
        if (run.slo() == null) {
            root.putNull("slo");
        } else {
            root.put("slo", run.slo().label());
        }
        root.put("objective", run.objective().label());
        ObjectNode loads = root.putObject("load_seconds");
        run.result().loadNanos().forEach((w, n) -> loads.put(Integer.toString(w), n / 1e9));
        PointResult chosen = run.result().chosen();
        if (chosen == null) {
            root.putNull("chosen");
        } else {
            root.put("chosen", chosen.setting().key());
            root.put("chosen_run_command", ServerSettings.runCommand(chosen, run.runArgs()));
        }
        root.set("recommendation", Recommendation.json(run));
        if (run.result().timedOut() == null) {
            root.putNull("timed_out");
        } else {
            root.put("timed_out", run.result().timedOut().setting().key());
        }
        ArrayNode points = root.putArray("points");
        for (PointResult p : run.result().points()) {
            ObjectNode n = point(p);
            n.put("pareto", run.onFront(p));
            if (run.slo() != null) {
                n.put("meets_slo", run.slo().meets(p));
            }
            n.put("chosen", run.isChosen(p));
            points.add(n);
        }
        if (!run.result().searches().isEmpty()) {
            ArrayNode searches = root.putArray("rate_searches");
            for (Sweep.Search s : run.result().searches()) {
                ObjectNode n = searches.addObject();
                n.put("workers", s.setting().workers());
                n.put("max_batch_size", s.setting().maxBatchSize());
                n.put("max_delay_ms", s.setting().maxDelayNanos() / 1e6);
                n.put("capacity_estimate_per_second", s.capacityProbe().throughputPerSecond());
                n.put("stopped_by", s.outcome().stoppedBy());
                if (s.outcome().best() == null) {
                    n.putNull("best_rate_per_second");
                } else {
                    n.put("best_rate_per_second", ((Load.Rate) s.outcome().best().setting().load()).perSecond());
                }
                ArrayNode steps = n.putArray("steps");
                for (PointResult p : s.outcome().steps()) {
                    steps.add(point(p));
                }
            }
        }
        return root;
    }

    static ObjectNode point(PointResult p) {
        ObjectNode n = JSON.createObjectNode();
        Setting s = p.setting();
        n.put("key", s.key());
        n.put("workers", s.workers());
        n.put("max_batch_size", s.maxBatchSize());
        n.put("max_delay_ms", s.maxDelayNanos() / 1e6);
        if (s.modelThreads() > 0) {
            n.put("model_threads", s.modelThreads());
        }
        if (s.offline()) {
            n.put("arrival", "offline");
        } else if (s.load() instanceof Load.Clients c) {
            n.put("arrival", "closed");
            n.put("concurrency", c.clients());
        } else {
            Load.Rate r = (Load.Rate) s.load();
            n.put("arrival", r.poisson() ? "poisson" : "constant");
            n.put("rate_per_second", r.perSecond());
        }
        n.put("stable", p.stable());
        n.put("timed_out", p.timedOut());
        n.put("windows", p.windows());
        if (p.timedOut()) {
            for (String figure : List.of("records", "failed", "throughput_per_second", "latency_ms", "queue_ms",
                    "compute_ms", "batch_size", "padding_share", "busy_share")) {
                n.putNull(figure);
            }
            n.putArray("window_series");
            return n;
        }
        n.put("records", p.records());
        n.put("failed", p.failed());
        n.put("throughput_per_second", p.throughputPerSecond());
        n.set("latency_ms", JSON.valueToTree(new Spread(p.latencyP50Ms(), p.latencyP90Ms(), p.latencyP95Ms(),
                p.latencyP99Ms(), p.latencyMaxMs())));
        n.set("queue_ms", JSON.valueToTree(new Spread(p.queueP50Ms(), null, null, p.queueP99Ms(), null)));
        n.set("compute_ms", JSON.valueToTree(new Spread(p.computeP50Ms(), null, null, p.computeP99Ms(), null)));
        ObjectNode batch = n.putObject("batch_size");
        batch.put("mean", p.meanBatchSize());
        StatsReport.putHistogram(batch, p.batchSizes());
        if (p.paddingShare() < 0) {
            n.putNull("padding_share");
        } else {
            n.put("padding_share", p.paddingShare());
        }
        n.put("busy_share", p.busyShare());
        GenerationMeasures g = p.generation();
        if (g != null) {
            ObjectNode gen = n.putObject("generation");
            gen.put("output_tokens", g.outputTokens());
            gen.put("output_tokens_per_second", g.outputTokensPerSecond());
            if (g.tokenTimes()) {
                gen.set("ttft_ms", JSON.valueToTree(new Spread(g.ttftP50Ms(), g.ttftP90Ms(), null, g.ttftP99Ms(),
                        null)));
                gen.set("tpot_ms", JSON.valueToTree(new Spread(g.tpotP50Ms(), null, null, g.tpotP99Ms(), null)));
            } else { // static batches: no first-token times
                gen.putNull("ttft_ms");
                gen.putNull("tpot_ms");
            }
            gen.put("mean_running_sequences", p.meanBatchSize());
            gen.put("longest_prompt_tokens", g.longestPromptTokens());
            gen.put("longest_sequence_tokens", g.longestSequenceTokens());
        }
        ArrayNode windows = n.putArray("window_series");
        for (Window w : p.windowSeries()) {
            ObjectNode wn = windows.addObject();
            wn.put("seconds", w.nanos() / 1e9);
            wn.put("records", w.records());
            if (w.generates()) {
                wn.put("output_tokens", w.outputTokens());
            }
            wn.put("throughput_per_second", w.throughputPerSecond());
            wn.put("p99_ms", w.p99Micros() / 1000.0);
        }
        return n;
    }

    /** A point's percentiles in milliseconds, as written; the ones a figure does not report are null and left out. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Spread(Double p50, Double p90, Double p95, Double p99, Double max) {}

    public static void write(BenchRun run, Path file) throws IOException {
        JSON.writeValue(file.toFile(), json(run));
    }

    /** A sweep read back: its points, its chosen point's key (or null), and where it ran. */
    public record Read(List<PointResult> points, String chosenKey, String function, JsonNode machine) {}

    /** Reads a file {@link #write} wrote; a file that is not one is an {@link IllegalArgumentException} saying so. */
    public static Read read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException(file + " is not a sweep written by batchwise bench --json (its "
                    + "\"format\" is not \"" + FORMAT + "\")");
        }
        List<PointResult> points = new ArrayList<>();
        for (JsonNode n : root.path("points")) {
            points.add(point(n));
        }
        JsonNode chosen = root.path("chosen");
        return new Read(points, chosen.isTextual() ? chosen.asText() : null, root.path("function").asText(),
                root.path("machine"));
    }

    private static List<Window> windows(JsonNode series) {
        List<Window> out = new ArrayList<>();
        for (JsonNode w : series) {
            out.add(new Window(Math.round(w.path("seconds").asDouble() * 1e9), w.path("records").asLong(),
                    Math.round(w.path("p99_ms").asDouble() * 1000), w.path("output_tokens").asLong(-1)));
        }
        return out;
    }

    /** A percentile of a generation figure as written; NaN where it is null (static batches). */
    private static double ms(JsonNode figure, String percentile) {
        return figure.isObject() ? figure.path(percentile).asDouble() : Double.NaN;
    }

    private static PointResult point(JsonNode n) {
        String arrival = n.path("arrival").asText();
        Load load = arrival.equals("offline") ? new Load.Offline()
                : arrival.equals("closed") ? new Load.Clients(n.path("concurrency").asInt())
                : new Load.Rate(n.path("rate_per_second").asDouble(), arrival.equals("poisson"));
        Setting s = new Setting(n.path("workers").asInt(), n.path("max_batch_size").asInt(),
                Math.round(n.path("max_delay_ms").asDouble() * 1e6), load, n.path("model_threads").asInt(0));
        if (n.path("timed_out").asBoolean(false)) {
            return PointResult.timedOut(s, n.path("windows").asInt());
        }
        Map<Integer, Long> sizes = new LinkedHashMap<>();
        n.path("batch_size").path("histogram").fields()
                .forEachRemaining(e -> sizes.put(Integer.parseInt(e.getKey()), e.getValue().asLong()));
        JsonNode l = n.path("latency_ms");
        JsonNode g = n.path("generation");
        GenerationMeasures generation = !g.isObject() ? null : new GenerationMeasures(
                g.path("output_tokens_per_second").asDouble(), g.path("output_tokens").asLong(),
                ms(g.path("ttft_ms"), "p50"), ms(g.path("ttft_ms"), "p90"), ms(g.path("ttft_ms"), "p99"),
                ms(g.path("tpot_ms"), "p50"), ms(g.path("tpot_ms"), "p99"), g.path("longest_prompt_tokens").asLong(),
                g.path("longest_sequence_tokens").asLong());
        return new PointResult(s, n.path("throughput_per_second").asDouble(), l.path("p50").asDouble(),
                l.path("p90").asDouble(), l.path("p95").asDouble(), l.path("p99").asDouble(), l.path("max").asDouble(),
                n.path("queue_ms").path("p50").asDouble(), n.path("queue_ms").path("p99").asDouble(),
                n.path("compute_ms").path("p50").asDouble(), n.path("compute_ms").path("p99").asDouble(),
                n.path("batch_size").path("mean").asDouble(), sizes,
                n.path("padding_share").isNumber() ? n.path("padding_share").asDouble() : -1,
                n.path("busy_share").asDouble(), n.path("stable").asBoolean(), n.path("windows").asInt(),
                n.path("records").asLong(), n.path("failed").asLong(), windows(n.path("window_series")), false,
                generation);
    }
}
