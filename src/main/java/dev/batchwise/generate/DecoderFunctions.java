package dev.batchwise.generate;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelLoadException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A decoder opened for a run: the factory of each worker's generation instance (continuous or static
 * batching, as the {@link GenerationSpec} says), sharing one {@link DecoderModel}, and the preparer that
 * turns each record into a tokenized {@link GenerationRequest} on the intake thread (so that a record's
 * cost is known before it is admitted, and a bad record fails alone before it is queued).
 *
 * <p>The one way in for anything that generates from records: the pipeline calls {@link #prepare} for
 * each record; code with requests of its own (OpenAI batch lines) makes them with {@link #request} or
 * {@link RequestFields#toRequest} and hands them, prepared with {@link #prepared}, as the argument of
 * the {@code prompt} input. Thread-safe; closed by its owner, after the instances.
 */
public final class DecoderFunctions implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    private final DecoderModel model;
    private final GenerationSpec spec;
    private final GenerationOptions options;
    /** Tokenizes and checks prompts against the model's positions; its buffers are never used. */
    private final DecoderEngine tokenizer;
    private final int threads;

    private DecoderFunctions(DecoderModel model, GenerationSpec spec, int threads) {
        this.model = model;
        this.spec = spec;
        this.options = spec.options();
        this.tokenizer = new DecoderEngine(model, options.maxPrefillLogitsBytes());
        this.threads = threads;
    }

    /**
     * Opens the decoder in {@code dir} (Optimum's layout: model.onnx, config.json, generation_config.json,
     * tokenizer.json).
     *
     * @param threads ONNX Runtime's intra-op threads of the shared model
     * @throws ModelLoadException naming the file and what is wrong with it
     */
    public static DecoderFunctions open(Path dir, ModelCache cache, int threads, GenerationSpec spec)
            throws ModelLoadException {
        return new DecoderFunctions(DecoderModel.open(dir, cache, threads), spec, threads);
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public Signature signature() {
        return Generation.signature(spec.tokenIds());
    }

    /** One worker's instance: {@link ContinuousGeneration} or {@link StaticGeneration}, with buffers of its own. */
    @Override
    public BatchFunction create() {
        return spec.batching() == GenerationSpec.Batching.STATIC ? new StaticGeneration(model, options)
                : new ContinuousGeneration(model, options);
    }

    public DecoderModel model() {
        return model;
    }

    public GenerationSpec spec() {
        return spec;
    }

    /** The engine's options: the spec's defaults, seed, budget. */
    public GenerationOptions options() {
        return options;
    }

    /** ONNX Runtime's intra-op threads of the model. */
    public int threads() {
        return threads;
    }

    /** A record without identity (no position): seeded from its text. Prefer the other form. */
    @Override
    public int prepare(Object[] args) {
        GenerationRequest t = prepared(Generation.request(args[0], options));
        args[0] = t;
        return t.promptIds().length;
    }

    /** Replaces the prompt with its tokenized request; the weight is its prompt tokens. */
    @Override
    public int prepare(Object[] args, long recordIndex, Function<String, Object> fields) {
        GenerationRequest t = prepared(args[0] instanceof GenerationRequest r ? r
                : request((String) args[0], recordIndex, fields));
        args[0] = t;
        return t.promptIds().length;
    }

    /**
     * A record's request: {@code prompt} with the record's own {@code max_tokens}, {@code temperature},
     * {@code top_p}, {@code top_k}, {@code seed}, {@code stop} and {@code ignore_eos} fields over the run's
     * defaults, seeded from the run's seed and the record's position unless it has a seed of its own.
     *
     * @param fields the record's fields by name ({@code String} or Jackson node; {@code null} when absent)
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public GenerationRequest request(String prompt, long recordIndex, Function<String, Object> fields) {
        Map<String, Object> values = new HashMap<>();
        for (String name : RequestFields.NAMES) {
            Object v = fields.apply(name);
            if (v != null) {
                values.put(name, v);
            }
        }
        values.put(RequestFields.PROMPT, prompt);
        return RequestFields.toRequest(values, options.defaults(), options.runSeed(), recordIndex,
                options.returnTokenIds());
    }

    /**
     * The request tokenized and checked against the model (its length, its ids).
     *
     * @throws IllegalArgumentException when the prompt is empty or longer than the model's positions
     */
    public GenerationRequest prepared(GenerationRequest request) {
        return tokenizer.tokenize(request);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
