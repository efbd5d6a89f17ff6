package dev.batchwise.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.generate.DecoderFunctions;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ImageModel;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelKind;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.ModelSpec;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.InputSpec;
import dev.batchwise.source.ImageRecords;
import dev.batchwise.source.Input;
import dev.batchwise.source.RecordStream;
import dev.batchwise.source.RelativePaths;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The one place a run's model is told apart by its kind ({@link ModelKind}): which engine opens it,
 * its default task, and what a run of an image model adds (pictures' paths as ids, relative paths
 * resolved against their list's directory), and refuses (pictures given to a text model). Decoders
 * run {@code --task generate}.
 */
public final class ModelFunctions {

    private ModelFunctions() {}

    /**
     * Opens the model a {@link FunctionSpec.Model} names, for {@code workers} side by side: the cores
     * are divided among them unless the spec gives the threads.
     *
     * @throws SettingException for a model that does not exist, or a setting or task its kind refuses
     * @throws FunctionStartException when its files cannot be used
     */
    static BatchFunctionFactory open(FunctionSpec.Model spec, int workers, Map<String, String> env)
            throws FunctionStartException {
        String name = spec.name();
        ModelSpec options = spec.options();
        EmbeddingSpec embedding = spec.embedding();
        int cores = Runtime.getRuntime().availableProcessors();
        int perWorker = options.threads() != null ? options.threads() : Math.max(1, cores / Math.max(1, workers));
        String cacheDir = options.cacheDir();
        ModelCache cache = new ModelCache(cacheDir != null ? Path.of(cacheDir) : ModelCache.defaultRoot(env));
        ModelOptions modelOptions = new ModelOptions(options, perWorker, cache);
        ModelKind kind = ModelKind.of(name);
        checkTask(name, kind, options.task());
        try {
            return switch (kind) {
                case TEXT -> EmbeddingFunctions.of(openText(name, cache, modelOptions, embedding), embedding);
                case IMAGE -> openImage(name, options, embedding, modelOptions);
                case DECODER -> {
                    if (!embedding.equals(EmbeddingSpec.DEFAULTS)) {
                        throw new SettingException("model", Phrase.of("'%s' is a decoder; the embedding options "
                                + "({prefix}, {pooling}, {chunk}, {embedding-format}, {cache}, ...) are for text models",
                                name));
                    }
                    Path given = Path.of(name);
                    Path dir = Files.isDirectory(given) ? given : given.toAbsolutePath().getParent();
                    yield DecoderFunctions.open(dir, cache, perWorker, spec.generation());
                }
            };
        } catch (ModelLoadException e) {
            throw new FunctionStartException(e);
        }
    }

    /** A decoder only generates, and only a decoder generates. */
    private static void checkTask(String name, ModelKind kind, Task task) {
        if (kind == ModelKind.DECODER && task != Task.GENERATE) {
            throw new SettingException("task", Phrase.of("{model} %s is a decoder (it has %s): it generates text; "
                    + "use {task} generate", name, ModelKind.GENERATION_CONFIG));
        }
        if (kind != ModelKind.DECODER && task == Task.GENERATE) {
            throw new SettingException("task", Phrase.of("{task} generate needs a decoder: a directory with "
                    + "model.onnx, tokenizer.json and %s, as optimum-cli export onnx --task "
                    + "text-generation-with-past writes it; %s has no %s", ModelKind.GENERATION_CONFIG, name,
                    ModelKind.GENERATION_CONFIG));
        }
    }

    private static TextModel openText(String name, ModelCache cache, ModelOptions modelOptions,
            EmbeddingSpec embedding) throws ModelLoadException {
        try {
            return TextModel.open(ModelFiles.resolve(name, cache), modelOptions, embedding.embedOptions());
        } catch (SettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // an embedding choice this model or task cannot take
            throw new SettingException("model", Phrase.text("model '" + name + "': " + e.getMessage()));
        }
    }

    private static ImageModel openImage(String name, ModelSpec options, EmbeddingSpec embedding,
            ModelOptions modelOptions) throws ModelLoadException {
        if (!embedding.equals(EmbeddingSpec.DEFAULTS)) {
            throw new SettingException("model", Phrase.of("'%s' is an image model; the embedding options ({prefix}, "
                    + "{pooling}, {chunk}, {embedding-format}, {cache}, ...) are for text models", name));
        }
        if (options.maxLength() != null) {
            throw new SettingException("max-length", Phrase.of("{max-length} counts tokens of text; '%s' is an image "
                    + "model, whose pictures are all resized to the size it takes", name));
        }
        if (options.task() == Task.SCORE) {
            throw new SettingException("task", Phrase.of("{task} score scores pairs of texts; '%s' is an image model: "
                    + "classify, embed or raw", name));
        }
        try {
            return ImageModel.open(name, modelOptions, DecodeLimits.defaults());
        } catch (IllegalArgumentException e) {
            throw new SettingException("model", Phrase.text(e.getMessage()));
        }
    }

    /**
     * The task a model runs when none is given: generate for a decoder; classify for an image model
     * that names its classes
     * (the bundled {@code nsfw}, or a directory whose config.json has {@code id2label}), else embed.
     */
    public static Task defaultTask(String model) {
        ModelKind kind = model == null ? ModelKind.TEXT : ModelKind.of(model);
        if (kind == ModelKind.DECODER) {
            return Task.GENERATE;
        }
        if (kind != ModelKind.IMAGE) {
            return Task.EMBED;
        }
        if (BundledModel.byId(model) != null) {
            return Task.CLASSIFY;
        }
        Path path = Path.of(model);
        Path config = (Files.isDirectory(path) ? path : path.toAbsolutePath().getParent()).resolve("config.json");
        try {
            JsonNode labels = new ObjectMapper().readTree(config.toFile()).get("id2label");
            return labels != null && labels.isObject() && labels.size() > 0 ? Task.CLASSIFY : Task.EMBED;
        } catch (IOException | RuntimeException e) {
            return Task.EMBED; // no config.json, or one that opening the model will report on
        }
    }

    /** Whether the run's function is an image model. */
    public static boolean isImageModel(FunctionSpec function) {
        return function instanceof FunctionSpec.Model m && ModelKind.of(m.name()) == ModelKind.IMAGE;
    }

    /**
     * The input part of a run with what its model's kind implies: an image model's output lines are
     * keyed by the picture's path (the column its image input reads) unless an id column is given.
     *
     * @throws SettingException when a text model is given pictures
     */
    static InputSpec forModel(FunctionSpec function, InputSpec input) {
        if (!(function instanceof FunctionSpec.Model m)) {
            return input;
        }
        if (!isImageModel(function)) {
            for (Input in : input.inputs()) {
                if (ImageRecords.holdsPictures(in)) {
                    throw new SettingException("model", Phrase.of("%s holds pictures, and model '%s' is a text model: "
                            + "give an image model with {model}: %s, or a directory holding model.onnx and "
                            + "preprocessor_config.json (batchwise models lists the bundled ones)", in.name(), m.name(),
                            imageModels()));
                }
            }
            return input;
        }
        if (input.idColumn() != null) {
            return input;
        }
        return new InputSpec(input.inputs(), input.format(), input.reader(), input.mapping(), imageColumn(input),
                input.limit(), input.keep());
    }

    /** The bundled image models' names: {@code nsfw}. */
    static String imageModels() {
        return Arrays.stream(BundledModel.values()).filter(b -> b.kind() == ModelKind.IMAGE).map(BundledModel::id)
                .collect(Collectors.joining(", "));
    }

    /** The column the image input reads: {@code image} unless {@code --input image=COLUMN} says otherwise. */
    private static String imageColumn(InputSpec input) {
        return input.mapping().getOrDefault(ImageRecords.FIELD, ImageRecords.FIELD);
    }

    /**
     * For an image model, the records with the relative paths of its image column resolved against
     * the directory of the list they came from ({@link RelativePaths}); else the records as they are.
     */
    static UnaryOperator<RecordStream> resolvingPaths(FunctionSpec function, InputSpec input) {
        if (!isImageModel(function)) {
            return UnaryOperator.identity();
        }
        String column = imageColumn(input);
        return records -> new RelativePaths(records, column);
    }
}
