package dev.batchwise.generate;

import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;
import java.util.List;

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

    /** {@code completion_tokens}. */
    @Override
    public long outputTokens(List<Object> outputs) {
        return (Long) outputs.get(Generation.OUTPUTS.indexOf("completion_tokens"));
    }

    public EngineProfile profile() {
        return stepped.profile();
    }

    @Override
    public void close() {
        stepped.close();
    }
}
