package dev.batchwise.generate;

import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;

/**
 * One worker's instance for {@code --batching continuous}: a {@link SteppedGeneration} that a
 * pipeline runs with a stepped worker (records join and leave between decoding steps).
 */
public final class ContinuousGeneration implements SteppedBatchFunction {

    private final SteppedGeneration<Object> stepped;

    public ContinuousGeneration(DecoderModel model, GenerationOptions options) {
        this.stepped = new SteppedGeneration<>(model, options);
    }

    @Override
    public SteppedFunction<Object> stepped() {
        return stepped;
    }

    public EngineProfile profile() {
        return stepped.profile();
    }

    @Override
    public void close() {
        stepped.close();
    }
}
