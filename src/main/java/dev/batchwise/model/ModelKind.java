package dev.batchwise.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a model takes: text (a tokenizer.json beside it), images (a preprocessor_config.json), or
 * prompts to generate from (a decoder: a generation_config.json beside its tokenizer.json).
 */
public enum ModelKind {
    TEXT,
    IMAGE,
    /** A decoder-only model in Optimum's layout, for generation. */
    DECODER;

    /** The file beside a decoder's model that tells it from an encoder. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    /**
     * The kind of what {@code spec} names: a bundled model's own; for a directory, or a model file's
     * directory, IMAGE when it holds {@code preprocessor_config.json} and no {@code tokenizer.json},
     * DECODER when it holds {@code generation_config.json} and {@code tokenizer.json}, else TEXT (so a
     * name that is neither gets the text model's messages). A directory with both (a
     * text-and-image model such as CLIP) is TEXT: its image tower needs a directory of its own.
     */
    public static ModelKind of(String spec) {
        BundledModel bundled = BundledModel.byId(spec);
        if (bundled != null) {
            return bundled.kind();
        }
        Path path = Path.of(spec);
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve(ImageModelFiles.PREPROCESSOR_CONFIG))
                && !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            return IMAGE;
        }
        if (dir != null && Files.isRegularFile(dir.resolve(GENERATION_CONFIG))
                && Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            return DECODER;
        }
        return TEXT;
    }
}
