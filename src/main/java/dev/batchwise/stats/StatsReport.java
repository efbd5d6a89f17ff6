package dev.batchwise.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Renders {@link RunStats}: a short table for people, JSON for programs. */
public final class StatsReport {

    /**
     * The version of the JSON's layout, {@code schema_version} in it: raised when a field changes
     * meaning or goes away (adding one does not). The layout is src/main/resources/dev/batchwise/stats.schema.json.
     */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private StatsReport() {}

    /** The table printed on standard error at the end of a run, the settings in it named by {@code names}. */
    public static String table(RunStats s, Phrase.Names names) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s%s, %,d failed, in %s (%,.1f records/s)%s%n",
                s.interrupted() ? "interrupted: " : "", Human.count(s.records(), "record"), s.failed(),
                seconds(s.wallNanos()), s.throughputPerSecond(), carriedOver(s) + (s.cacheHits() + s.cacheMisses() == 0
                        ? "" : String.format(Locale.ROOT, "; cache %,d hits, %,d misses", s.cacheHits(),
                                s.cacheMisses()))));
        b.append(String.format(Locale.ROOT, "batches     %,d, mean size %.2f%s%n", s.batches(), s.meanBatchSize(),
                sizes(s.batchSizes())));
        if (s.retriedCalls() > 0) {
            b.append(String.format(Locale.ROOT, "retries     %s on parts of failed batches%n",
                    Human.count(s.retriedCalls(), "call")));
        }
        if (s.timedOut() > 0) {
            b.append(String.format(Locale.ROOT, "timed out   %s waited in the queue past %s and %s not run%n",
                    Human.count(s.timedOut(), "record"), names.name("timeout", Phrase.Form.USUAL),
                    s.timedOut() == 1 ? "was" : "were"));
        }
        b.append(String.format(Locale.ROOT, "workers     %d, busy %.1f%% of the time in the function%n", s.workers(),
                100 * s.workerBusyShare()));
        b.append(String.format(Locale.ROOT, "cpu         %s reading, %s in workers (function and output)%n",
                seconds(s.intakeCpuNanos()), seconds(s.workerCpuNanos())));
        b.append(String.format(Locale.ROOT, "%-14s%10s%10s%10s%10s%10s%n", "latency (ms)", "p50", "p90", "p95", "p99",
                "max"));
        row(b, "queue wait", s.queue());
        row(b, "compute", s.compute());
        s.phases().forEach((name, p) -> row(b, "  " + name, p));
        row(b, "end to end", s.endToEnd());
        if (s.timeToFirstToken().count() > 0) {
            row(b, "first token", s.timeToFirstToken());
            row(b, "per token", s.timePerOutputToken());
            b.append(String.format(Locale.ROOT, "generated   %,d tokens (%,.1f/s)%n", s.outputTokens(),
                    s.outputTokensPerSecond()));
        }
        if (s.paddedTokens() > 0) {
            b.append(String.format(Locale.ROOT, "tokens      %,d (%,.0f/s), %,d computed with padding (%.1f%% padding)%s%n",
                    s.realTokens(), s.tokensPerSecond(), s.paddedTokens(),
                    100.0 * (s.paddedTokens() - s.realTokens()) / s.paddedTokens(),
                    s.truncatedRecords() > 0 ? "; " + Human.count(s.truncatedRecords(), "record")
                            + " truncated" : ""));
        }
        return b.toString();
    }

    /** For a resumed run, how many of the records (and of the failed) the earlier run had written; else empty. */
    private static String carriedOver(RunStats s) {
        if (s.carriedOverRecords() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "; %,d of them (%,d failed) carried over from the run resumed",
                s.carriedOverRecords(), s.carriedOverFailed());
    }

    private static void row(StringBuilder b, String name, RunStats.Percentiles p) {
        b.append(String.format(Locale.ROOT, "  %-12s%10s%10s%10s%10s%10s%n", name, ms(p.p50()), ms(p.p90()),
                ms(p.p95()), ms(p.p99()), ms(p.max())));
    }

    /** A latency cell: two decimals, or "-" for none measured. */
    private static String ms(Double millis) {
        return millis == null ? "-" : String.format(Locale.ROOT, "%.2f", millis);
    }

    private static String sizes(Map<Integer, Long> bySize) {
        if (bySize.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(" (size x count:");
        int shown = 0;
        // largest sizes first: the full batches, then the partial ones
        Integer[] keys = bySize.keySet().toArray(new Integer[0]);
        for (int i = keys.length - 1; i >= 0 && shown < 6; i--, shown++) {
            b.append(' ').append(keys[i]).append('x').append(String.format(Locale.ROOT, "%,d", bySize.get(keys[i])));
        }
        if (keys.length > shown) {
            b.append(" ...");
        }
        return b.append(')').toString();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /**
     * The stats as a JSON object, with {@code extra} (the run's settings and how it ended) merged in
     * at the top level.
     */
    public static ObjectNode json(RunStats s, Map<String, Object> extra) {
        ObjectNode root = JSON.createObjectNode();
        extra.forEach((k, v) -> root.set(k, JSON.valueToTree(v)));
        root.put("records", s.records());
        root.put("succeeded", s.succeeded());
        root.put("failed", s.failed());
        if (s.carriedOverRecords() > 0) {
            ObjectNode carried = root.putObject("carried_over");
            carried.put("records", s.carriedOverRecords());
            carried.put("failed", s.carriedOverFailed());
        }
        root.put("interrupted", s.interrupted());
        root.put("wall_seconds", s.wallNanos() / 1e9);
        root.put("throughput_per_second", s.throughputPerSecond());
        root.put("batches", s.batches());
        root.put("calls", s.calls());
        root.put("retried_calls", s.retriedCalls());
        root.put("timed_out", s.timedOut());
        ObjectNode batchSize = root.putObject("batch_size");
        if (s.batches() == 0) {
            batchSize.putNull("mean");
        } else {
            batchSize.put("mean", s.meanBatchSize());
        }
        putHistogram(batchSize, s.batchSizes());
        ObjectNode latency = root.putObject("latency_ms");
        latency.set("queue", JSON.valueToTree(s.queue()));
        latency.set("compute", JSON.valueToTree(s.compute()));
        latency.set("end_to_end", JSON.valueToTree(s.endToEnd()));
        if (!s.phases().isEmpty()) {
            ObjectNode phases = latency.putObject("phases");
            s.phases().forEach((name, p) -> phases.set(name, JSON.valueToTree(p)));
        }
        if (s.paddedTokens() > 0) {
            root.set("tokens", JSON.valueToTree(new Tokens(s.realTokens(), s.paddedTokens(), s.tokensPerSecond(),
                    s.truncatedRecords())));
        }
        if (s.timeToFirstToken().count() > 0) {
            ObjectNode generation = root.putObject("generation");
            generation.set("ttft_ms", JSON.valueToTree(s.timeToFirstToken()));
            generation.set("tpot_ms", JSON.valueToTree(s.timePerOutputToken()));
            generation.put("output_tokens", s.outputTokens());
            generation.put("output_tokens_per_second", s.outputTokensPerSecond());
        }
        if (s.cacheHits() + s.cacheMisses() > 0) {
            ObjectNode cache = root.putObject("cache");
            cache.put("hits", s.cacheHits());
            cache.put("misses", s.cacheMisses());
        }
        root.put("workers", s.workers());
        root.put("worker_busy_share", s.workerBusyShare());
        root.set("cpu_seconds", JSON.valueToTree(new CpuSeconds(s.intakeCpuNanos() / 1e9, s.workerCpuNanos() / 1e9)));
        return root;
    }

    /** {@code "tokens"}: the records' own tokens, the padded tokens the model ran, and their rate. */
    record Tokens(long real, long padded,
            @JsonProperty("per_second") double perSecond,
            @JsonProperty("truncated_records") long truncatedRecords) {}

    /** {@code "cpu_seconds"}: CPU time of the intake thread and of the workers together. */
    record CpuSeconds(double intake, double workers) {}

    /** Puts {@code "histogram": {"SIZE": COUNT, ...}} into {@code parent}, in the map's order. */
    public static void putHistogram(ObjectNode parent, Map<Integer, Long> countsBySize) {
        ObjectNode histogram = parent.putObject("histogram");
        countsBySize.forEach((size, count) -> histogram.put(Integer.toString(size), count));
    }

    public static void writeJson(ObjectNode json, Path file) throws IOException {
        JSON.writeValue(file.toFile(), json);
    }

    public static String jsonText(ObjectNode json) throws IOException {
        return JSON.writeValueAsString(json);
    }
}
