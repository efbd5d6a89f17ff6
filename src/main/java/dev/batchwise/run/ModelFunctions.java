package dev.batchwise.run;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.generate.DecoderFunctions;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelKind;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the model a {@link FunctionSpec.Model} names, by its kind: the one place where text models and
 * decoders (and any other kind) are told apart. The caller closes what it returns (it is
 * {@link AutoCloseable}).
 */
final class ModelFunctions {

    private ModelFunctions() {}

    /**
     * @param workers how many instances will run side by side (the cores are divided among them)
     * @throws SettingException for a task the model's kind cannot do
     * @throws FunctionStartException when the model cannot be loaded
     */
    static BatchFunctionFactory open(FunctionSpec.Model spec, int workers, Map<String, String> env)
            throws FunctionStartException {
        int cores = Runtime.getRuntime().availableProcessors();
        Integer threads = spec.options().threads();
        int perWorker = threads != null ? threads : Math.max(1, cores / Math.max(1, workers));
        String cacheDir = spec.options().cacheDir();
        ModelCache cache = new ModelCache(cacheDir != null ? Path.of(cacheDir) : ModelCache.defaultRoot(env));
        Task task = spec.options().task();
        ModelKind kind = ModelKind.of(spec.name());
        try {
            switch (kind) {
                case DECODER -> {
                    if (task != Task.GENERATE) {
                        throw new SettingException("task", Phrase.of("{model} %s is a decoder (it has %s): it "
                                + "generates text; use {task} generate", spec.name(), ModelKind.GENERATION_CONFIG));
                    }
                    Path given = Path.of(spec.name());
                    Path dir = java.nio.file.Files.isDirectory(given) ? given : given.toAbsolutePath().getParent();
                    return DecoderFunctions.open(dir, cache, perWorker, spec.generation());
                }
                default -> {
                    if (task == Task.GENERATE) {
                        throw new SettingException("task", Phrase.of("{task} generate needs a decoder: a directory "
                                + "with model.onnx, tokenizer.json and %s, as optimum-cli export onnx --task "
                                + "text-generation-with-past writes it; %s has no %s", ModelKind.GENERATION_CONFIG,
                                spec.name(), ModelKind.GENERATION_CONFIG));
                    }
                    return TextModel.open(ModelFiles.resolve(spec.name(), cache),
                            new ModelOptions(spec.options(), perWorker, cache));
                }
            }
        } catch (ModelLoadException e) {
            throw new FunctionStartException(e);
        }
    }
}
