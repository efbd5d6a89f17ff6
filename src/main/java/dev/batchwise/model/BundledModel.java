package dev.batchwise.model;

import java.util.Locale;

/**
 * The models that ship inside batchwise's class path: the text embedding models from langchain4j's
 * Maven Central jars (the files only): all-MiniLM-L6-v2, bge-small-en-v1.5 and e5-small-v2, each also
 * int8-quantised; and nsfwjs's image classifier, converted to ONNX by scripts/convert-nsfwjs.py, in
 * batchwise's own resources.
 *
 * <p>Each text model carries what sentence-transformers' files for it say (pooling, normalisation,
 * {@code max_seq_length}) and the prefixes its authors ask for, so that its embeddings are the ones
 * its published scores were measured with.
 */
public enum BundledModel {
    MINILM("minilm", "all-MiniLM-L6-v2 sentence embeddings, 384 dimensions, fp32 (the default)",
            "all-minilm-l6-v2", false, new EmbedDefaults(Pooling.MEAN, true, null, null, 256)),
    /** Run with per-row dynamic quantisation ({@link PerRowQuantization}), so batch-invariant. */
    MINILM_Q("minilm-q", "all-MiniLM-L6-v2, int8-quantised per token: " + BundledModel.MINILM_Q_SPEED
            + ", 4x smaller, and like minilm a record's embedding does not depend on its batch-mates",
            "all-minilm-l6-v2-q", true, MINILM.defaults),
    BGE_SMALL("bge-small-en-v1.5", "BAAI bge-small-en-v1.5, 384 dimensions, fp32, CLS pooling, up to 512 tokens; "
            + "queries take its search instruction (the query prefix), passages none",
            "bge-small-en-v1.5", false, new EmbedDefaults(Pooling.CLS, true,
                    "Represent this sentence for searching relevant passages: ", "", 512)),
    BGE_SMALL_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5, int8-quantised per token (batch-invariant)",
            "bge-small-en-v1.5-q", true, BGE_SMALL.defaults),
    E5_SMALL("e5-small-v2", "intfloat e5-small-v2, 384 dimensions, fp32, mean pooling, up to 512 tokens; "
            + "texts take 'query: ' or 'passage: ' (the default)",
            "e5-small-v2", false, new EmbedDefaults(Pooling.MEAN, true, "query: ", "passage: ", 512)),
    E5_SMALL_Q("e5-small-v2-q", "e5-small-v2, int8-quantised per token (batch-invariant)",
            "e5-small-v2-q", true, E5_SMALL.defaults),
    /** Images: its preprocessor_config.json and config.json lie beside the model resource. */
    NSFW("nsfw", "nsfwjs's MobileNetV2 picture classifier: Drawing, Hentai, Neutral, Porn, Sexy (224x224; nsfwjs "
            + "4.4.0, MIT licence)", "dev/batchwise/models/nsfw/model.onnx", null);

    /**
     * The sequence length sentence-transformers uses for all-MiniLM-L6-v2 ({@code max_seq_length}
     * 256), not the tokenizer file's 128: embeddings then match sentence-transformers' for texts up to
     * 256 tokens, which is what published scores such as MTEB's were measured with.
     */
    public static final int MINILM_MAX_LENGTH = 256;

    /**
     * How much faster minilm-q runs than minilm, as measured (docs/benchmarks.md); the one wording of
     * it, which docs/models.md repeats word for word.
     */
    public static final String MINILM_Q_SPEED = "1.9x as fast as minilm where the processor has VNNI "
            + "(avx512_vnni), 1.3-1.5x on AVX2 alone";

    private final String id;
    private final String description;
    private final String modelResource;
    private final String tokenizerResource;
    private final boolean dynamicallyQuantized;
    private final EmbedDefaults defaults;
    private final ModelKind kind;

    /** A text model whose files are {@code BASE.onnx} and {@code BASE-tokenizer.json}. */
    BundledModel(String id, String description, String resourceBase, boolean dynamicallyQuantized,
            EmbedDefaults defaults) {
        this(id, description, resourceBase + ".onnx", resourceBase + "-tokenizer.json", dynamicallyQuantized,
                defaults, ModelKind.TEXT);
    }

    /** An image model: no tokenizer, no embedding defaults. */
    BundledModel(String id, String description, String modelResource, EmbedDefaults none) {
        this(id, description, modelResource, null, false, none, ModelKind.IMAGE);
    }

    BundledModel(String id, String description, String modelResource, String tokenizerResource,
            boolean dynamicallyQuantized, EmbedDefaults defaults, ModelKind kind) {
        this.id = id;
        this.description = description;
        this.modelResource = modelResource;
        this.tokenizerResource = tokenizerResource;
        this.dynamicallyQuantized = dynamicallyQuantized;
        this.defaults = defaults;
        this.kind = kind;
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

    /** Its pooling, normalisation, prefixes and max length; {@code null} for an image model. */
    public EmbedDefaults defaults() {
        return defaults;
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
