package dev.batchwise.run;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.generate.GenerationSpec;
import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ModelSpec;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to run, as pure data: a batch function by name with its arguments (and the plugin jars that
 * may provide it), or a model (text or image) by name or path with its options. Immutable and serializable, so
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
     * @throws SettingException for a function or model that does not exist, or a setting it refuses
     * @throws FunctionStartException when it cannot be set up or loaded
     */
    BatchFunctionFactory factory(int workers, Map<String, String> env) throws FunctionStartException;

    /** Whether this is a model whose task is generate (a decoder): its records generate text step by step. */
    default boolean generates() {
        return this instanceof Model m && m.options().task() == dev.batchwise.model.Task.GENERATE;
    }

    /** Whether this is a model, which runs with several workers by default. */
    default boolean isModel() {
        return this instanceof Model;
    }

    /** The function's name, or the model's as named (the bundled default's when none is). */
    String name();

    /** How messages name it: {@code model 'minilm'}, {@code function 'echo'}. */
    String label();

    /**
     * A batch function.
     *
     * @param args its arguments, by name
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
        public String label() {
            return "function '" + name + "'";
        }

        @Override
        public BatchFunctionFactory factory(int workers, Map<String, String> env) throws FunctionStartException {
            BatchFunctionProvider provider = Plugins.registry(plugins.stream().map(Path::of).toList()).get(name);
            BatchFunctionFactory factory;
            try {
                factory = provider.configure(new FnArgs(name, args));
            } catch (SettingException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new SettingException("fn-arg", Phrase.text(e.getMessage()));
            } catch (Throwable e) {
                throw new FunctionStartException("function '" + name + "' cannot be set up: " + Plugins.describe(e)
                        + Plugins.origin(provider), e);
            }
            String broken = Plugins.checkFactory(factory);
            if (broken != null) {
                throw new FunctionStartException("function '" + name + "' cannot be set up: its " + broken
                        + " (a bug in the function" + Plugins.origin(provider) + ")", null);
            }
            return factory;
        }
    }

    /**
     * A model, opened by its kind ({@link ModelFunctions}): a text or image model, or a decoder for
     * {@code --task generate}.
     *
     * @param model a bundled model's name or a model directory; {@code null} for the default
     * @param options how it runs
     * @param generation how a decoder generates (for {@code --task generate})
     * @param embedding its embedding settings, the vector format and the cache
     */
    record Model(String model, ModelSpec options, GenerationSpec generation, EmbeddingSpec embedding)
            implements FunctionSpec {
        private static final long serialVersionUID = 1L;

        public Model {
            Objects.requireNonNull(options);
            Objects.requireNonNull(generation);
            Objects.requireNonNull(embedding);
        }

        /** A model that does not generate, with its own embedding settings, floats, no cache. */
        public Model(String model, ModelSpec options) {
            this(model, options, GenerationSpec.standard(), EmbeddingSpec.DEFAULTS);
        }

        @Override
        public String name() {
            return model == null ? BundledModel.MINILM.id() : model;
        }

        @Override
        public String label() {
            return "model '" + name() + "'";
        }

        @Override
        public BatchFunctionFactory factory(int workers, Map<String, String> env) throws FunctionStartException {
            return ModelFunctions.open(this, workers, env);
        }
    }

    /** The function part of a run spec, from what is given: a function by name, or else a model. Not thread-safe. */
    final class Builder {
        /** A batch function by name, or {@code null} for a model. */
        public String name;
        /** The function's arguments, by name. */
        public Map<String, String> args = Map.of();
        /** Jars that may provide the function. */
        public List<String> plugins = List.of();
        /** A bundled model's name or a model's path, or {@code null} for the default model. */
        public String model;

        Builder() {}

        /** @throws SettingException when a function and a model are both given, or a function's setting without one */
        FunctionSpec build(ModelSpec modelOptions) {
            return build(modelOptions, GenerationSpec.standard(), EmbeddingSpec.DEFAULTS);
        }

        /** @throws SettingException also for embedding settings given to a function */
        FunctionSpec build(ModelSpec modelOptions, GenerationSpec generation, EmbeddingSpec embedding) {
            if (name != null && model != null) {
                throw new SettingException("fn", Phrase.of("{fn} and {model} exclude each other: run a function or a "
                        + "model"));
            }
            if (name != null && !embedding.equals(EmbeddingSpec.DEFAULTS)) {
                throw new SettingException("fn", Phrase.of("{fn} runs a function; the embedding options ({prefix}, "
                        + "{pooling}, {chunk}, {embedding-format}, {cache}, ...) are for models"));
            }
            if (name != null) {
                return new Named(name, args, plugins);
            }
            if (!args.isEmpty()) {
                throw new SettingException("fn-arg", Phrase.of("{fn-arg} is for {fn} functions; a model takes {task}, "
                        + "{max-length} and the other model options"));
            }
            return new Model(model, modelOptions, generation, embedding);
        }
    }
}
