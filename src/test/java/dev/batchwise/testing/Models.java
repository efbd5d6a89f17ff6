package dev.batchwise.testing;

import dev.batchwise.model.BundledModel;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelFiles;
import dev.batchwise.model.ModelOptions;
import dev.batchwise.model.ModelSpec;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Models for tests: the bundled ones, and the tiny ones made by scripts/make-test-models.py. */
public final class Models {

    /** One cache for the whole test run, under target/, so the bundled model is extracted once per build. */
    public static final Path CACHE_DIR = Path.of("target", "test-model-cache").toAbsolutePath();

    private Models() {}

    public static ModelCache cache() {
        return new ModelCache(CACHE_DIR);
    }

    public static TextModel minilm(Task task) throws Exception {
        return open(BundledModel.MINILM.id(), task, 0);
    }

    public static TextModel open(String spec, Task task, int maxLength) throws Exception {
        return TextModel.open(ModelFiles.resolve(spec, cache()), new ModelOptions(Runs.with(ModelSpec.builder(), m -> {
            m.task = task;
            m.maxLength = maxLength == 0 ? null : maxLength;
        }).build(), 1, cache()));
    }

    /**
     * Copies a test model directory (models/NAME on the test class path) into {@code dir}, with the
     * bundled MiniLM tokenizer.json beside it, and returns the copy.
     */
    public static Path textModelDir(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        for (String file : List.of("model.pt", "model.onnx", "config.json")) {
            try (InputStream in = Models.class.getClassLoader().getResourceAsStream("models/" + name + "/" + file)) {
                if (in != null) {
                    Files.copy(in, target.resolve(file));
                }
            }
        }
        Files.copy(minilmTokenizer(), target.resolve("tokenizer.json"));
        return target;
    }

    /** The bundled model's tokenizer.json, extracted into the test cache. */
    public static Path minilmTokenizer() throws IOException {
        return cache().extract(BundledModel.MINILM.tokenizerResource(), "models/minilm/tokenizer.json");
    }
}
