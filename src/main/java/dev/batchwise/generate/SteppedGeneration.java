package dev.batchwise.generate;

import dev.batchwise.fn.StepCost;
import dev.batchwise.fn.SteppedFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generation as a {@link SteppedFunction}: iteration-level ("continuous") batching on one worker's
 * {@link DecoderEngine}. Records join the running set before any step and leave it as soon as they
 * finish.
 *
 * @param <K> the caller's handle for a record
 */
public final class SteppedGeneration<K> implements SteppedFunction<K> {

    private final DecoderEngine engine;
    private final GenerationOptions options;
    /** The running records' costs, in admission order; guarded by the owning thread. */
    private final Map<Object, StepCost> running = new LinkedHashMap<>();
    private final List<Completion<K>> early = new ArrayList<>();

    public SteppedGeneration(DecoderModel model, GenerationOptions options) {
        this.engine = new DecoderEngine(model, options.maxPrefillLogitsBytes());
        this.options = options;
    }

    /** Tokenizes a text prompt once; what {@link #cost} and {@link #admit} take best. */
    public GenerationRequest prepare(GenerationRequest request) {
        return engine.tokenize(request);
    }

    @Override
    public StepCost cost(List<Object> args) {
        return Generation.cost(engine, engine.tokenize(Generation.request(args.get(0), options)));
    }

    @Override
    public void admit(K key, List<Object> args) {
        GenerationRequest t;
        StepCost cost;
        try {
            t = engine.tokenize(Generation.request(args.get(0), options));
            cost = Generation.cost(engine, t);
        } catch (IllegalArgumentException e) {
            early.add(new Completion<>(key, null, e));
            return;
        }
        if (cost.kvCacheBytes() > options.kvCacheBytes()) {
            early.add(new Completion<>(key, null, new IllegalArgumentException(
                    Generation.tooLarge(t, cost, options.kvCacheBytes(), engine.model().layout()))));
            return;
        }
        running.put(key, cost);
        engine.add(key, t);
    }

    @Override
    public void step() throws Exception {
        engine.step();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Completion<K>> drain() {
        List<Completion<K>> out = new ArrayList<>(early);
        early.clear();
        for (DecoderEngine.Finished f : engine.drain()) {
            running.remove(f.key());
            out.add(new Completion<>((K) f.key(), f.failure() == null
                    ? Generation.outputs(f.result(), options.returnTokenIds()) : null, f.failure()));
        }
        return out;
    }

    @Override
    public List<StepCost> running() {
        return List.copyOf(running.values());
    }

    @Override
    public long kvCacheBudgetBytes() {
        return options.kvCacheBytes();
    }

    public EngineProfile profile() {
        return engine.profile();
    }

    @Override
    public void close() {
        engine.close();
    }
}
