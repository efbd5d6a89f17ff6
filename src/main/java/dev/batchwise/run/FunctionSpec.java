package dev.batchwise.run;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to run, as pure data: a batch function by name with its arguments (and the plugin jars that
 * may provide it), or a text model by name or path with its options. Immutable and serializable, so
 * it can be shipped to another machine; describing it loads nothing and sets nothing. Only
 * {@link #factory} does, on the machine it is called on.
 */
public sealed interface FunctionSpec extends Serializable permits FunctionSpec.Named, FunctionSpec.Model {

    /**
     * Makes the factory of function instances here: loads the plugin jars, or resolves and opens the
     * model (its files, its tokenizer; the engine's settings). The caller closes it when it is
     * {@link AutoCloseable} (a model).
     *
     * @param workers how many instances will run side by side (a model divides the cores among them)
     * @param env the environment (a model's default cache directory comes from it)
     * @throws RunException exit 2 for a mistake in the spec, exit 5 when it cannot be loaded
     */
    BatchFunctionFactory factory(int workers, Map<String, String> env) throws RunException;

    /** Whether this is a model, which runs with several workers by default. */
    default boolean isModel() {
        return this instanceof Model;
    }

    /**
     * A batch function ({@code --fn}).
     *
     * @param args its {@code --fn-arg} pairs
     * @param plugins paths of jars that may provide it
     */
    record Named(String name, Map<String, String> args, List<String> plugins) implements FunctionSpec {
        private static final long serialVersionUID = 1L;

        public Named {
            Objects.requireNonNull(name);
            args = Map.copyOf(args);
            plugins = List.copyOf(plugins);
        }

        /** The arguments in name order, as the fingerprint of a run records them. */
        public Map<String, String> sortedArgs() {
            return new TreeMap<>(args);
        }

        @Override
        public BatchFunctionFactory factory(int workers, Map<String, String> env) throws RunException {
            BatchFunctionProvider provider;
            try {
                provider = Plugins.registry(plugins.stream().map(Path::of).toList()).get(name);
            } catch (IllegalArgumentException e) {
                throw RunException.optionMistake(e.getMessage());
            }
            try {
                return provider.configure(new FnArgs(name, args));
            } catch (IllegalArgumentException e) {
                throw RunException.optionMistake(e.getMessage());
            } catch (RuntimeException | LinkageError e) {
                throw new RunException(ExitCodes.FUNCTION, "function '" + name + "' cannot be set up: " + e, e);
            }
        }
    }

    /**
     * A text model ({@code --model}).
     *
     * @param model a bundled model's name or a model directory; {@code null} for the default
     * @param maxLength tokens per record, or {@code null} for the model's own
     * @param threads math threads per instance, or {@code null} for the cores divided among the workers
     * @param cacheDir where model files are extracted, or {@code null} for the default
     */
    record Model(String model, Task task, Integer maxLength, int topK, Integer threads, String cacheDir)
            implements FunctionSpec {
        private static final long serialVersionUID = 1L;

        public Model {
            Objects.requireNonNull(task);
        }

        /** The model as named, or the bundled default's name. */
        public String name() {
            return model == null ? BundledModel.MINILM.id() : model;
        }

        @Override
        public TextModel factory(int workers, Map<String, String> env) throws RunException {
            int cores = Runtime.getRuntime().availableProcessors();
            int perWorker = threads != null ? threads : Math.max(1, cores / Math.max(1, workers));
            ModelCache cache = new ModelCache(cacheDir != null ? Path.of(cacheDir) : ModelCache.defaultRoot(env));
            ModelOptions options;
            try {
                options = new ModelOptions(task, maxLength == null ? 0 : maxLength, topK, perWorker, cache);
                if (maxLength != null && maxLength < 2) {
                    throw new IllegalArgumentException("--max-length must be at least 2 (room for the special tokens)");
                }
            } catch (IllegalArgumentException e) {
                throw RunException.optionMistake(e.getMessage());
            }
            try {
                return TextModel.open(ModelFiles.resolve(name(), cache), options);
            } catch (IllegalArgumentException e) {
                throw RunException.optionMistake(e.getMessage());
            } catch (ModelLoadException e) {
                throw new RunException(ExitCodes.FUNCTION, e.getMessage(), e);
            }
        }
    }
}
