package dev.batchwise.spark;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.FunctionRegistry;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.SharedTextModel;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names a batch function or a model without loading it, so that it travels to the executors and is
 * built there: value-equal references name the same function, which is what the per-executor cache
 * is keyed by.
 *
 * @param function a function's name ({@code --fn}), or {@code null} for a model
 * @param fnArgs the function's arguments, sorted by key
 * @param model a bundled model's name or a path that exists on every executor, or {@code null} for a function
 * @param task for a model: what its output becomes
 * @param maxLength for a model: tokens per record, 0 for the model's own
 * @param topK for a model's classify task: how many labels to list
 * @param threads for a model: math threads per loaded instance (shared by the executor's tasks)
 * @param cacheDir where model files and native libraries are extracted on each machine, or
 *     {@code null} for the default there ({@code $BATCHWISE_CACHE_DIR}, else the user's cache)
 */
public record FunctionRef(String function, Map<String, String> fnArgs, String model, Task task, int maxLength,
        int topK, int threads, String cacheDir) implements Serializable {

    public FunctionRef {
        if ((function == null) == (model == null)) {
            throw new IllegalArgumentException("name a function or a model, not both or neither");
        }
        fnArgs = new TreeMap<>(fnArgs == null ? Map.of() : fnArgs);
        if (model != null) {
            // validated here once, on the driver, rather than on every executor
            new ModelOptions(task, maxLength, topK, threads, new ModelCache(Path.of(".")));
        }
    }

    /** A batch function by name, found through the class path's providers (the job jar and {@code --jars}). */
    public static FunctionRef function(String name, Map<String, String> args) {
        return new FunctionRef(name, args, null, null, 0, 1, 1, null);
    }

    /** A text model: a bundled model's name or a path present on every executor. */
    public static FunctionRef model(String model, Task task, int maxLength, int topK, int threads, String cacheDir) {
        return new FunctionRef(null, Map.of(), model, task, maxLength, topK, threads, cacheDir);
    }

    public boolean isModel() {
        return model != null;
    }

    /**
     * Builds the function on this machine: for a model, extracts its files into the cache and loads
     * it once (instances then share the weights, with a predictor each); for a function, configures it.
     *
     * @throws IllegalArgumentException for a name or an argument that is not valid
     * @throws ModelLoadException when the model cannot be loaded here
     */
    public BatchFunctionFactory build() throws ModelLoadException {
        if (!isModel()) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            FunctionRegistry registry = FunctionRegistry.load(loader != null ? loader : FunctionRef.class.getClassLoader());
            return registry.get(function).configure(new FnArgs(function, fnArgs));
        }
        ModelCache cache = cache();
        TextModel text = TextModel.open(ModelFiles.resolve(model, cache),
                new ModelOptions(task, maxLength, topK, threads, cache));
        try {
            return SharedTextModel.load(text);
        } catch (ModelLoadException | RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /**
     * The function's signature, found on this machine without loading a model's weights (only its
     * tokenizer, to check the files).
     *
     * @throws IllegalArgumentException for a name or an argument that is not valid
     * @throws ModelLoadException when the model's files are not usable
     */
    public Signature signature() throws ModelLoadException {
        if (!isModel()) {
            return build().signature();
        }
        ModelCache cache = cache();
        try (TextModel text = TextModel.open(ModelFiles.resolve(model, cache),
                new ModelOptions(task, maxLength, topK, threads, cache))) {
            return text.signature();
        }
    }

    private ModelCache cache() {
        return new ModelCache(cacheDir != null ? Path.of(cacheDir) : ModelCache.defaultRoot(System.getenv()));
    }

    /** How messages name it. */
    public String label() {
        return isModel() ? "model '" + model + "'" : "function '" + function + "'";
    }
}
