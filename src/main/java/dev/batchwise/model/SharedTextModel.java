package dev.batchwise.model;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;

/**
 * A text model loaded once and shared by the threads of one process, each with a DJL predictor of its
 * own: for hosts whose threads come and go (a Spark executor's tasks) where one loaded model per
 * thread would cost its memory and load time again for every task.
 *
 * <p>Thread-safety: {@link #create()} and {@link #prepare} may be called from any thread at once (the
 * tokenizer and the engine's session take concurrent calls); each function {@link #create()} returns
 * is for one thread at a time. The weights stay loaded until {@link #close()}, which must come after
 * every function made here is done.
 */
public final class SharedTextModel implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    private final TextModel model;
    /** Owns the loaded model; its siblings share it. Guarded by {@code this} for {@link #create()}. */
    private final TextModelFunction first;

    private SharedTextModel(TextModel model, TextModelFunction first) {
        this.model = model;
        this.first = first;
    }

    /**
     * Loads {@code model}'s weights once (checked on a one-record batch); takes over {@code model},
     * which {@link #close()} closes.
     */
    public static SharedTextModel load(TextModel model) throws ModelLoadException {
        return new SharedTextModel(model, (TextModelFunction) model.create());
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public Signature signature() {
        return model.signature();
    }

    public TextModel model() {
        return model;
    }

    @Override
    public int prepare(Object[] args) {
        return model.prepare(args);
    }

    /** A function with its own predictor on the shared weights; closing it closes only the predictor. */
    @Override
    public synchronized BatchFunction create() {
        return first.sibling();
    }

    @Override
    public synchronized void close() {
        first.close();
        model.close();
    }
}
