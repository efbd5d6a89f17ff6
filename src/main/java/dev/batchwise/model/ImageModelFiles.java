package dev.batchwise.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of one image model: an ONNX model, its {@code preprocessor_config.json} (how Hugging
 * Face's image processor prepares a picture for it) and its optional {@code config.json} (the labels,
 * {@code id2label}), laid out as {@code optimum-cli export onnx} and {@code save_pretrained} leave
 * them.
 *
 * @param name how messages and stats name the model
 * @param config config.json, or {@code null}
 */
public record ImageModelFiles(String name, Path model, Path preprocessorConfig, JsonNode config) {

    public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
    private static final String CONFIG = "config.json";

    /**
     * Finds the files of a bundled image model's name, or of a directory (or an {@code .onnx} file
     * in one) holding {@code preprocessor_config.json}. A bundled model is extracted into the cache
     * first.
     *
     * @throws IllegalArgumentException when the name is neither a bundled model nor an existing path
     *     (a usage mistake)
     * @throws ModelLoadException when the path holds no usable image model
     */
    public static ImageModelFiles resolve(String spec, ModelCache cache) throws ModelLoadException {
        BundledModel bundled = BundledModel.byId(spec);
        if (bundled != null) {
            return bundled(bundled, cache);
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            List<String> ids = Stream.of(BundledModel.values()).map(BundledModel::id).toList();
            throw new IllegalArgumentException("model '" + spec + "': not a bundled model and no such file or directory"
                    + dev.batchwise.util.Suggestions.hint(spec, ids, "bundled"));
        }
        boolean isDir = Files.isDirectory(path);
        Path dir = isDir ? path : path.toAbsolutePath().getParent();
        Path modelFile = isDir ? findOnnx(path) : path;
        if (!modelFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(Engine.ONNX.extension())) {
            throw new ModelLoadException(modelFile + " is not an ONNX model file (.onnx); image models run on ONNX "
                    + "Runtime (export one with optimum-cli export onnx)");
        }
        Path preprocessor = dir.resolve(PREPROCESSOR_CONFIG);
        if (!Files.isRegularFile(preprocessor)) {
            throw new ModelLoadException("no " + PREPROCESSOR_CONFIG + " beside the model in " + dir + "; an image model "
                    + "needs its image processor's settings (in Python: processor.save_pretrained(dir))");
        }
        JsonNode config = ModelFiles.readJson(dir.resolve(CONFIG));
        String name = (isDir ? path : modelFile).getFileName().toString();
        return new ImageModelFiles(name, modelFile, preprocessor, config);
    }

    private static ImageModelFiles bundled(BundledModel m, ModelCache cache) throws ModelLoadException {
        if (m.kind() != ModelKind.IMAGE) {
            throw new ModelLoadException("'" + m.id() + "' is a text model: it takes text, not pictures");
        }
        String dir = "models/" + m.id() + "/";
        try {
            Path model = cache.extract(m.modelResource(), dir + "model.onnx");
            Path preprocessor = cache.extract(m.besideModel(PREPROCESSOR_CONFIG), dir + PREPROCESSOR_CONFIG);
            Path config = cache.extract(m.besideModel(CONFIG), dir + CONFIG);
            return new ImageModelFiles(m.id(), model, preprocessor, ModelFiles.readJson(config));
        } catch (IOException e) {
            throw new ModelLoadException("cannot extract the bundled model '" + m.id() + "' into " + cache.root()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Path findOnnx(Path dir) throws ModelLoadException {
        if (Files.isRegularFile(dir.resolve("model.onnx"))) {
            return dir.resolve("model.onnx");
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> Files.isRegularFile(f)
                    && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(Engine.ONNX.extension()))
                    .sorted().forEach(candidates::add);
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (candidates.isEmpty()) {
            throw new ModelLoadException("no model file in " + dir + ": expected model.onnx beside "
                    + PREPROCESSOR_CONFIG);
        }
        if (candidates.size() > 1) {
            throw new ModelLoadException("several model files in " + dir + ": " + String.join(", ",
                    candidates.stream().map(p -> p.getFileName().toString()).toList()) + "; name one of them");
        }
        return candidates.get(0);
    }

    /**
     * The class labels from config.json's {@code id2label}, in index order, or {@code null} without
     * one.
     *
     * @throws ModelLoadException when id2label does not map 0..n-1
     */
    public List<String> labels() throws ModelLoadException {
        return ModelFiles.labels(config, name);
    }
}
