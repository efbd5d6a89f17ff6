package dev.batchwise.run;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.model.ImageModel;
import dev.batchwise.generate.DecoderFunctions;
import dev.batchwise.generate.GenerationSpec;
import dev.batchwise.generate.SamplingParams;
import dev.batchwise.model.TextModel;
import dev.batchwise.source.InputFormat;
import dev.batchwise.output.OutputSpec;
import dev.batchwise.pipeline.InputSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one description of a run, with its function loaded: each setting once, with the name it has
 * in the stats report's {@code settings}, the name it has in the resume fingerprint (the settings
 * that shape output lines; by their option names, as fingerprints on disk have always named them),
 * or both. The two views are projections of this one list, in its order, so a setting cannot be
 * described in one and forgotten in the other.
 */
public final class RunDescription {

    /**
     * One setting.
     *
     * @param statsName its name in the stats report, or {@code null} when it is not reported
     * @param option its option in the fingerprint, or {@code null} when it does not shape the output
     */
    record Entry(String statsName, String option, Object value) {}

    private final List<Entry> entries;

    private RunDescription(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
    }

    /** @param factory the run's loaded function, whose policy and model settings are described */
    public static RunDescription of(RunSpec spec, BatchFunctionFactory factory) {
        BatchPolicy policy = spec.batching().policy(factory instanceof RecordPreparer, spec.arrival());
        List<Entry> e = new ArrayList<>();
        FunctionSpec.Named named = spec.function() instanceof FunctionSpec.Named n ? n : null;
        e.add(new Entry(null, "--fn", named == null ? null : named.name()));
        e.add(new Entry(null, "--fn-arg", named == null ? new java.util.TreeMap<>() : named.sortedArgs()));
        e.add(new Entry("function", null, factory.name()));
        e.add(new Entry("max_batch_size", null, policy.maxBatchSize()));
        e.add(new Entry("max_delay_ms", null, policy.maxDelayNanos() / 1e6));
        if (policy.queueTimeoutNanos() > 0) {
            e.add(new Entry("timeout_ms", null, policy.queueTimeoutNanos() / 1e6));
        }
        e.add(new Entry("workers", null, spec.workers()));
        e.add(new Entry("on_error", null, spec.failures().onError().name().toLowerCase(Locale.ROOT)));
        e.add(new Entry("queue_capacity", null, spec.pipeline(factory, spec.workers()).queueCapacity()));
        e.add(new Entry("group_by_length", null, policy.groupByWeight()));
        if (policy.maxBatchWeight() > 0) {
            e.add(new Entry("max_batch_tokens", null, policy.maxBatchWeight()));
        }
        if (factory instanceof OpenAiBatch batch) {
            e.add(new Entry("input_format", null, InputFormat.OPENAI_BATCH.label()));
            e.add(new Entry("input_format_detected", null, batch.detected()));
            if (batch.embedder() == null) {
                e.add(new Entry("model", null, batch.name()));
                e.add(new Entry(null, "--model", ((FunctionSpec.Model) spec.function()).model()));
                sampling(e, batch.generator().spec()); // what a line leaves out
            }
        }
        TextModel m = factory instanceof OpenAiBatch batch ? batch.embedder() : EmbeddingFunctions.textModel(factory);
        if (m != null) {
            FunctionSpec.Model asked = (FunctionSpec.Model) spec.function();
            e.add(new Entry("model", null, m.files().name()));
            e.add(new Entry(null, "--model", asked.model() == null ? m.files().name() : asked.model()));
            e.add(new Entry("engine", null, m.files().engine().djlName()));
            e.add(new Entry("task", "--task", m.task().label()));
            e.add(new Entry(null, "--top-k", asked.options().topK()));
            e.add(new Entry("max_length", "--max-length", m.maxLength()));
            e.add(new Entry("model_threads", null, m.threadsPerWorker()));
            embedding(e, m, asked.embedding());
        }
        if (factory instanceof ImageModel image) {
            FunctionSpec.Model asked = (FunctionSpec.Model) spec.function();
            e.add(new Entry("model", null, image.files().name()));
            e.add(new Entry(null, "--model", asked.name()));
            e.add(new Entry("task", "--task", image.task().label()));
            e.add(new Entry(null, "--top-k", asked.options().topK()));
        }
        if (factory instanceof DecoderFunctions d) {
            describeGeneration(e, (FunctionSpec.Model) spec.function(), d);
        }
        if (spec.arrival() instanceof ArrivalSpec.ClosedLoop cl) {
            e.add(new Entry("arrival", null, "closed"));
            e.add(new Entry("concurrency", null, cl.clients()));
        } else if (spec.arrival() instanceof ArrivalSpec.OpenLoop o) {
            e.add(new Entry("arrival", null, o.poisson() ? "poisson" : "constant"));
            e.add(new Entry("rate_per_second", null, o.ratePerSecond()));
            if (o.poisson()) {
                e.add(new Entry("seed", null, o.seed()));
            }
        } else {
            e.add(new Entry("arrival", null, "burst"));
        }
        InputSpec in = spec.input();
        e.add(new Entry(null, "--format", in.format() == null ? null : in.format().label()));
        e.add(new Entry(null, "--input", new java.util.TreeMap<>(in.mapping())));
        e.add(new Entry(null, "--id", in.idColumn()));
        e.add(new Entry(null, "--no-header", !in.reader().header()));
        e.add(new Entry(null, "--ragged-rows", in.reader().raggedRows()));
        e.add(new Entry(null, "--max-record-size", in.reader().maxRecordBytes()));
        // a limit changes which records are in the output, so it shapes it: a resume must have the same.
        // Both are described only when given, so fingerprints written without them still match.
        if (in.limit() > 0) {
            e.add(new Entry("limit", "--limit", in.limit()));
        }
        if (!in.keep().isEmpty()) {
            e.add(new Entry("keep", "--keep", String.join(",", in.keep())));
        }
        OutputSpec out = spec.output();
        e.add(new Entry(null, "--output-format", out.format().name().toLowerCase(Locale.ROOT)));
        e.add(new Entry(null, "--with-timing", out.withTiming()));
        e.add(new Entry(null, "--errors", out.errors() == null ? null
                : out.errors().toAbsolutePath().normalize().toString()));
        return new RunDescription(e);
    }

    /**
     * A decoder's settings. What shapes a record's text is in the fingerprint, so a resumed run generates
     * as the first did; the batching and the KV cache budget are not (greedy text and each record's seeded
     * sampling are the same whatever the batching), so a resume may change them.
     */
    private static void describeGeneration(List<Entry> e, FunctionSpec.Model asked, DecoderFunctions d) {
        GenerationSpec g = d.spec();
        e.add(new Entry("model", null, d.name()));
        e.add(new Entry(null, "--model", asked.model()));
        e.add(new Entry("task", "--task", "generate"));
        sampling(e, g);
        e.add(new Entry(null, "--token-ids", g.tokenIds()));
        e.add(new Entry("model_threads", null, d.threads()));
    }

    /** How a decoder generates: the batching and KV cache budget (stats only), each record's defaults and the seed. */
    private static void sampling(List<Entry> e, GenerationSpec g) {
        SamplingParams p = g.sampling();
        e.add(new Entry("batching", null, g.batching().toString()));
        e.add(new Entry("max_tokens", "--max-tokens", p.maxTokens()));
        e.add(new Entry("temperature", "--temperature", p.temperature()));
        e.add(new Entry("top_p", "--top-p", p.topP()));
        e.add(new Entry("top_k", "--top-k", p.topK()));
        e.add(new Entry("generation_seed", "--seed", g.seed()));
        e.add(new Entry("stop", "--stop", p.stop()));
        e.add(new Entry("ignore_eos", "--ignore-eos", p.ignoreEos()));
        e.add(new Entry("kv_cache_mb", null, g.kvCacheMib()));
    }

    /**
     * A model's embedding settings: as the model resolved them (the stats), and as asked (the
     * fingerprint: a resume must ask for the same). Each only when it is not the default, so
     * fingerprints written before these settings existed still match a run that gives none.
     */
    private static void embedding(List<Entry> e, TextModel m, EmbeddingSpec asked) {
        if (m.task() == dev.batchwise.model.Task.EMBED) {
            e.add(new Entry("embedding", null, m.embedSettings().describe()));
        }
        if (asked.prefix() != null) {
            e.add(new Entry(null, "--prefix", asked.prefix()));
        }
        if (asked.role() != null) {
            e.add(new Entry(null, "--" + asked.role().label(), true));
        }
        if (asked.pooling() != null) {
            e.add(new Entry(null, "--pooling", asked.pooling().label()));
        }
        if (asked.normalize() != null) {
            e.add(new Entry(null, "--no-normalize", !asked.normalize()));
        }
        if (asked.chunkTokens() != null) {
            e.add(new Entry(null, "--chunk", asked.chunkTokens()));
            e.add(new Entry(null, "--chunk-overlap", asked.chunkOverlapTokens()));
            e.add(new Entry(null, "--chunk-output", asked.chunkOutput().label()));
        }
        if (asked.format() != dev.batchwise.sink.EmbeddingFormat.FLOAT) {
            e.add(new Entry("embedding_format", "--embedding-format", asked.format().label()));
        }
        if (asked.cache() != null) {
            e.add(new Entry("cache", null, java.nio.file.Path.of(asked.cache()).toAbsolutePath().normalize()
                    .toString()));
        }
    }

    /** The stats report's {@code settings}, by name, in order. */
    public Map<String, Object> statsSettings() {
        return byKey(Entry::statsName);
    }

    /** What the resume fingerprint records: the settings that shape output lines, by option, in order. */
    public Map<String, Object> outputShapingOptions() {
        return byKey(Entry::option);
    }

    /** The values of the entries that have a key, by it, in order. */
    private Map<String, Object> byKey(Function<Entry, String> key) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (key.apply(e) != null) {
                s.put(key.apply(e), e.value());
            }
        }
        return s;
    }
}
