package dev.batchwise.model;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of one model: the model file and the engine it runs on, its {@code tokenizer.json}, and
 * what its optional {@code config.json} and sentence-transformers files say.
 *
 * @param name how messages and stats name the model
 * @param config config.json, or {@code null}
 * @param defaults its pooling, normalisation, prefixes and max length ({@link EmbedDefaults})
 */
public record ModelFiles(String name, Engine engine, Path model, Path tokenizer, JsonNode config,
        EmbedDefaults defaults) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Finds the files for {@code --model}: a bundled model's name, or a path to a directory or a
     * {@code .onnx}/{@code .pt} file with a {@code tokenizer.json} beside it.
     *
     * @throws IllegalArgumentException when the name is neither a bundled model nor an existing path
     *     (a usage error)
     * @throws ModelLoadException when the path holds no usable model
     */
    public static ModelFiles resolve(String spec, ModelCache cache) throws ModelLoadException {
        BundledModel bundled = BundledModel.byId(spec);
        if (bundled != null) {
            return bundled(bundled, cache);
        }
        Path path = Path.of(spec);
        if (!Files.exists(path)) {
            List<String> bundledIds = Stream.of(BundledModel.values()).map(BundledModel::id).toList();
            throw new SettingException("model", Phrase.of("{model} %s: not a bundled model and no such file or "
                    + "directory%s", spec, dev.batchwise.util.Suggestions.hint(spec, bundledIds, "bundled")));
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        Path modelFile = Files.isDirectory(path) ? findModelFile(path) : path;
        Engine engine = engineOf(modelFile);
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new ModelLoadException("no tokenizer.json beside the model in " + dir + "; batchwise tokenizes text "
                    + "with a HuggingFace tokenizer.json (in Python: tokenizer.save_pretrained(dir))");
        }
        JsonNode config = readJson(dir.resolve("config.json"));
        EmbedDefaults defaults = EmbedDefaults.read(dir);
        String name = (Files.isDirectory(path) ? path : modelFile).getFileName().toString();
        if (engine == Engine.ONNX) {
            try {
                modelFile = PerRowQuantization.forRunning(modelFile, cache);
            } catch (IOException e) {
                throw new ModelLoadException(Phrase.of("cannot make the per-row quantised copy of %s in %s: %s "
                        + "(choose a writable place with {cache-dir} or BATCHWISE_CACHE_DIR)", modelFile, cache.root(),
                        ModelCache.describe(e)), e);
            }
        }
        return new ModelFiles(name, engine, modelFile, tokenizer, config, defaults);
    }

    private static ModelFiles bundled(BundledModel m, ModelCache cache) throws ModelLoadException {
        if (m.kind() != ModelKind.TEXT) {
            throw new ModelLoadException("'" + m.id() + "' is an image model: it takes pictures, not text");
        }
        String dir = "models/" + m.id() + "/";
        try {
            Path model = cache.extract(m.modelResource(), dir + "model.onnx");
            if (m.dynamicallyQuantized()) {
                model = PerRowQuantization.forRunning(model, cache);
            }
            Path tokenizer = cache.extract(m.tokenizerResource(), dir + "tokenizer.json");
            return new ModelFiles(m.id(), Engine.ONNX, model, tokenizer, null, m.defaults());
        } catch (IOException e) {
            throw new ModelLoadException(Phrase.of("cannot extract the bundled model '%s' into %s: %s (choose a "
                    + "writable place with {cache-dir} or BATCHWISE_CACHE_DIR)", m.id(), cache.root(),
                    ModelCache.describe(e)), e);
        }
    }

    private static Path findModelFile(Path dir) throws ModelLoadException {
        for (String preferred : List.of("model.onnx", "model.pt")) {
            if (Files.isRegularFile(dir.resolve(preferred))) {
                return dir.resolve(preferred);
            }
        }
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(f) && (n.endsWith(".onnx") || n.endsWith(".pt"));
            }).sorted().forEach(candidates::add);
        } catch (IOException e) {
            throw new ModelLoadException("cannot list " + dir + ": " + dev.batchwise.util.Errors.describe(e), e);
        }
        if (candidates.isEmpty()) {
            throw new ModelLoadException("no model file in " + dir + ": expected model.onnx (ONNX) or model.pt "
                    + "(TorchScript) beside tokenizer.json");
        }
        if (candidates.size() > 1) {
            throw new ModelLoadException(Phrase.of("several model files in %s: %s; name one with {model} FILE", dir,
                    String.join(", ", candidates.stream().map(p -> p.getFileName().toString()).toList())), null);
        }
        return candidates.get(0);
    }

    private static Engine engineOf(Path file) throws ModelLoadException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (Engine e : Engine.values()) {
            if (n.endsWith(e.extension())) {
                return e;
            }
        }
        throw new ModelLoadException(file + " is neither an ONNX (.onnx) nor a TorchScript (.pt) model file");
    }

    /** A JSON file, or {@code null} when there is none. */
    static JsonNode readJson(Path file) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + dev.batchwise.util.Errors.describe(e), e);
        }
    }

    /**
     * The class labels from config.json's {@code id2label}, in index order, or {@code null} without
     * one.
     *
     * @throws ModelLoadException when id2label does not map 0..n-1
     */
    public List<String> labels() throws ModelLoadException {
        return labels(config, name);
    }

    /** config.json's {@code id2label} in index order, or {@code null}; {@code name} names the model in messages. */
    static List<String> labels(JsonNode config, String name) throws ModelLoadException {
        JsonNode id2label = config == null ? null : config.get("id2label");
        if (id2label == null || !id2label.isObject() || id2label.isEmpty()) {
            return null;
        }
        String[] labels = new String[id2label.size()];
        var fields = id2label.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            int i;
            try {
                i = Integer.parseInt(f.getKey());
            } catch (NumberFormatException e) {
                i = -1;
            }
            if (i < 0 || i >= labels.length || labels[i] != null) {
                throw new ModelLoadException("config.json of " + name + ": id2label must map 0.." + (labels.length - 1)
                        + " to labels; '" + f.getKey() + "' does not fit");
            }
            labels[i] = f.getValue().asText();
        }
        return List.of(labels);
    }

    /** sentence_bert_config.json's {@code max_seq_length} (a bundled model's own), or 0. */
    public int maxSeqLength() {
        return defaults.maxSeqLength();
    }

    /** config.json's {@code max_position_embeddings}, or 0. */
    public int maxPositionEmbeddings() {
        return config == null ? 0 : config.path("max_position_embeddings").asInt(0);
    }
}
