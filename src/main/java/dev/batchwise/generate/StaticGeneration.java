package dev.batchwise.generate;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.StepCost;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation as a plain {@link BatchFunction}: static batching, Gradio's way. A batch is prefilled
 * together and stepped until its last member finishes; members that finish early stay in the batch,
 * computed and thrown away, as Hugging Face's and transformers.js's batched generate keep them (so a
 * short answer waits for the longest, and its slot does no useful work). On the same engine as
 * {@link SteppedGeneration}, so the two are compared side by side.
 *
 * <p>A record that cannot run (a prompt longer than the model's positions) or a batch whose padded
 * cache would be over the budget fails the call, so that the pipeline splits the batch and the
 * record fails alone.
 */
public final class StaticGeneration implements BatchFunction {

    private final DecoderEngine engine;
    private final GenerationOptions options;

    public StaticGeneration(DecoderModel model, GenerationOptions options) {
        this.engine = new DecoderEngine(model, options.maxPrefillLogitsBytes()).holdFinishedRows(true);
        this.options = options;
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
        return apply(inputs, CallMetrics.NONE);
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
        List<Object> prompts = inputs.get(0);
        int n = prompts.size();
        List<GenerationRequest> requests = new ArrayList<>(n);
        long maxKv = 0;
        long realTokens = 0;
        int longest = 0;
        for (Object p : prompts) {
            GenerationRequest t;
            try {
                t = engine.tokenize(Generation.request(p, options));
            } catch (IllegalArgumentException e) {
                throw new BatchFunctionException(e.getMessage(), e);
            }
            StepCost cost = Generation.cost(engine, t);
            if (cost.kvCacheBytes() > options.kvCacheBytes()) {
                throw new BatchFunctionException(Generation.tooLarge(t, cost, options.kvCacheBytes(),
                        engine.model().layout()), null);
            }
            maxKv = Math.max(maxKv, cost.kvCacheBytes());
            realTokens += cost.prefillTokens();
            longest = Math.max(longest, cost.prefillTokens());
            requests.add(t);
        }
        if (n * maxKv > options.kvCacheBytes()) {
            throw new BatchFunctionException("a batch of " + n + " records needs " + n * maxKv
                    + " bytes of KV cache padded to its longest, more than the budget of " + options.kvCacheBytes(), null);
        }
        for (int i = 0; i < n; i++) {
            engine.add(i, requests.get(i));
        }
        long start = System.nanoTime();
        while (engine.running() > 0) {
            engine.step();
        }
        metrics.phase("model", System.nanoTime() - start);
        metrics.tokens(realTokens, (long) n * longest);
        List<List<Object>> columns = new ArrayList<>();
        int outputs = Generation.signature(options.returnTokenIds()).outputs().size();
        for (int c = 0; c < outputs; c++) {
            columns.add(new ArrayList<>(java.util.Collections.nCopies(n, null)));
        }
        Exception failed = null;
        for (DecoderEngine.Finished f : engine.drain()) {
            if (f.failure() != null) {
                failed = f.failure();
                continue;
            }
            List<Object> row = Generation.outputs(f.result(), options.returnTokenIds());
            for (int c = 0; c < outputs; c++) {
                columns.get(c).set((Integer) f.key(), row.get(c));
            }
        }
        if (failed != null) {
            throw new BatchFunctionException(failed.getMessage(), failed);
        }
        return columns;
    }

    public EngineProfile profile() {
        return engine.profile();
    }

    @Override
    public void close() {
        engine.close();
    }
}
