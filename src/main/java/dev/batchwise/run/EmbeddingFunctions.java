package dev.batchwise.run;

import dev.batchwise.cache.CachedFunctions;
import dev.batchwise.cache.OutputStore;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.TextModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.sink.EmbeddingEncoder;
import dev.batchwise.sink.EmbeddingFormat;
import dev.batchwise.util.Errors;
import dev.batchwise.util.Phrase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded text model as the run's function: the model itself, or, when the run asks for a cache
 * or another vector format, the model behind the cache ({@link CachedFunctions}, which stores the
 * model's own outputs) with every output encoded after it ({@link EmbeddingEncoder}), on the worker's
 * thread. Owns the model and the store: {@link #close()} closes both.
 */
public final class EmbeddingFunctions implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    private final TextModel model;
    private final BatchFunctionFactory inner;
    private final RecordPreparer preparer;
    private final EmbeddingEncoder encoder;
    /** {@code null} without a cache. */
    private final OutputStore store;

    private EmbeddingFunctions(TextModel model, BatchFunctionFactory inner, EmbeddingEncoder encoder, OutputStore store) {
        this.model = model;
        this.inner = inner;
        this.preparer = (RecordPreparer) inner;
        this.encoder = encoder;
        this.store = store;
    }

    /**
     * The run's function for {@code model}: the model itself when nothing is asked beyond it. Takes
     * ownership of {@code model}, closing it when the cache cannot be opened.
     *
     * @throws FunctionStartException when the cache cannot be opened
     */
    static BatchFunctionFactory of(TextModel model, EmbeddingSpec embedding) throws FunctionStartException {
        if (embedding.cache() == null && embedding.format() == EmbeddingFormat.FLOAT) {
            return model;
        }
        OutputStore store = null;
        BatchFunctionFactory inner = model;
        try {
            if (embedding.cache() != null) {
                store = OutputStore.open(Path.of(embedding.cache()));
                inner = CachedFunctions.wrap(model, CachedFunctions.identity(model.contentDigest(),
                        model.describeSettings()), store);
            }
        } catch (IOException | RuntimeException e) {
            model.close();
            if (store != null) {
                try {
                    store.close();
                } catch (IOException ignored) {
                    // the run does not start; the reason is the first failure
                }
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause(); // the store's own words (SQLite's), not our wrapping of them
            }
            throw new FunctionStartException(Phrase.of("cannot open {cache} %s: %s", embedding.cache(),
                    root instanceof IOException io ? Errors.describe(io) : String.valueOf(root.getMessage())), e);
        }
        return new EmbeddingFunctions(model, inner, EmbeddingEncoder.of(embedding.format()), store);
    }

    /** The text model a run's function is, or runs behind a cache; {@code null} for any other function. */
    static TextModel textModel(BatchFunctionFactory factory) {
        return factory instanceof TextModel m ? m : factory instanceof EmbeddingFunctions f ? f.model : null;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Signature signature() {
        return inner.signature();
    }

    @Override
    public int prepare(Object[] args) {
        return preparer.prepare(args);
    }

    @Override
    public BatchFunction create() throws Exception {
        BatchFunction f = inner.create();
        return new BatchFunction() {
            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
                return apply(inputs, CallMetrics.NONE);
            }

            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
                List<? extends List<?>> out = f.apply(inputs, metrics);
                if (encoder.format() == EmbeddingFormat.FLOAT || out == null) {
                    return out;
                }
                List<List<Object>> encoded = new ArrayList<>(out.size());
                for (List<?> column : out) {
                    if (column == null) {
                        return out; // the pipeline reports the broken result
                    }
                    List<Object> c = new ArrayList<>(column.size());
                    for (Object v : column) {
                        c.add(encoder.encode(v));
                    }
                    encoded.add(c);
                }
                return encoded;
            }

            @Override
            public void close() throws Exception {
                f.close();
            }
        };
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            if (store != null) {
                try {
                    store.close();
                } catch (IOException ignored) {
                    // every batch was committed as it was stored; nothing is lost
                }
            }
        }
    }
}
