package dev.batchwise.generate;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.model.DjlEnvironment;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoder model loaded for generation: its ONNX Runtime session (run directly through ONNX
 * Runtime's Java API, so the KV cache can stay in our own direct buffers), its tokenizer and its
 * {@link DecoderLayout}. Thread-safe: ONNX Runtime sessions and the tokenizer take concurrent calls,
 * so the workers share one model, each with an {@link DecoderEngine} (its own buffers) of its own.
 */
public final class DecoderModel implements AutoCloseable {

    private final String name;
    private final Path dir;
    private final DecoderLayout layout;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean cleanUpSpaces;
    /** Why the export's own attention runs (null when it was rewritten to read the cache in place). */
    private final String exportedAttentionReason;
    private final boolean onePositionLogits;

    private DecoderModel(String name, Path dir, DecoderLayout layout, OrtEnvironment env, OrtSession session,
            HuggingFaceTokenizer tokenizer, boolean cleanUpSpaces, InPlaceAttention.Opened attention) {
        this.name = name;
        this.dir = dir;
        this.layout = layout;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.cleanUpSpaces = cleanUpSpaces;
        this.exportedAttentionReason = attention.refusal();
        this.onePositionLogits = attention.onePositionLogits();
    }

    /**
     * Loads the decoder in {@code dir} ({@code model.onnx} with its JSON files and tokenizer).
     *
     * @param threads ONNX Runtime's intra-op threads for this model's calls
     * @throws ModelLoadException with a message that names the file and what is wrong
     */
    public static DecoderModel open(Path dir, ModelCache cache, int threads) throws ModelLoadException {
        return open(dir, cache, threads, null);
    }

    /** As {@link #open(Path, ModelCache, int)}, with ONNX Runtime's profiler writing to files named from {@code profilePrefix}. */
    static DecoderModel open(Path dir, ModelCache cache, int threads, String profilePrefix) throws ModelLoadException {
        Path model = dir.resolve("model.onnx");
        if (!Files.isRegularFile(model)) {
            throw new ModelLoadException("no model.onnx in " + dir + "; export a decoder with optimum-cli export onnx "
                    + "--task text-generation-with-past");
        }
        Path tokenizerFile = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerFile)) {
            throw new ModelLoadException("no tokenizer.json beside " + model);
        }
        JsonNode tokenizerConfig = DecoderLayout.json(dir.resolve("tokenizer_config.json"), false);
        try {
            DjlEnvironment.prepare(cache, true, threads);
        } catch (IOException e) {
            throw new ModelLoadException("cannot prepare ONNX Runtime in " + cache.root() + ": " + e.getMessage(), e);
        }
        OrtEnvironment env;
        OrtSession session;
        try {
            // DJL's ONNX Runtime engine makes the process's one environment with its thread pool options,
            // and fails if one exists already: let it make it, so that text models still open after a decoder
            ai.djl.engine.Engine.getEngine("OnnxRuntime");
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = sessionOptions(threads, profilePrefix)) {
                session = env.createSession(model.toString(), options);
            }
        } catch (OrtException | RuntimeException | LinkageError e) {
            throw new ModelLoadException("cannot load " + model + " on ONNX Runtime: " + e.getMessage(), e);
        }
        HuggingFaceTokenizer tokenizer = null;
        try {
            DecoderLayout layout = DecoderLayout.read(dir, session.getInputInfo(), session.getOutputInfo());
            tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerFile).optAddSpecialTokens(true)
                    .optPadding(false).optTruncation(false).build();
            boolean cleanUp = tokenizerConfig != null && tokenizerConfig.path("clean_up_tokenization_spaces").asBoolean(false);
            InPlaceAttention.Opened inPlace = InPlaceAttention.open(model, layout, env, session,
                    () -> sessionOptions(threads, profilePrefix));
            if (inPlace.session() != null) {
                closeQuietly(session);
                session = inPlace.session();
            }
            return new DecoderModel(dir.getFileName().toString(), dir, layout, env, session, tokenizer, cleanUp,
                    inPlace);
        } catch (ModelLoadException e) {
            closeQuietly(session);
            throw e;
        } catch (OrtException | IOException | RuntimeException e) {
            closeQuietly(session);
            if (tokenizer != null) {
                tokenizer.close();
            }
            throw new ModelLoadException("cannot load " + dir + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions sessionOptions(int threads, String profilePrefix) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        if (profilePrefix != null) {
            options.enableProfiling(profilePrefix);
        }
        return options;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // already failing
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public DecoderLayout layout() {
        return layout;
    }

    /**
     * Whether the model's attention was rewritten to read the KV cache in place (ONNX Runtime's
     * GroupQueryAttention, checked against the export when loaded); else it runs as exported, and the
     * cache is copied from past to present at every step.
     */
    public boolean inPlaceAttention() {
        return exportedAttentionReason == null;
    }

    /**
     * Whether the model computes logits at one position per row (given in each call), not at every
     * position of a prefill.
     */
    boolean onePositionLogits() {
        return onePositionLogits;
    }

    /** Why the export's own attention runs, or null when it was rewritten. */
    public String exportedAttentionReason() {
        return exportedAttentionReason;
    }

    OrtEnvironment env() {
        return env;
    }

    OrtSession session() {
        return session;
    }

    /** Ends ONNX Runtime's profiling and returns the file it wrote. */
    String endProfiling() throws OrtException {
        return session.endProfiling();
    }

    /**
     * The request with its prompt as token ids (tokenized by the model's tokenizer when it came as
     * text), checked against the model's positions.
     *
     * @throws IllegalArgumentException when the prompt does not fit the model
     */
    GenerationRequest tokenized(GenerationRequest r) {
        if (r.promptIds() != null) {
            checkPrompt(r.promptIds());
            return r;
        }
        int[] ids = encode(r.promptText());
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: it has no tokens");
        }
        checkPrompt(ids);
        return new GenerationRequest(null, ids, r.params(), r.seed(), r.returnTokenIds());
    }

    private void checkPrompt(int[] ids) {
        if (ids.length > layout.maxPositions()) {
            throw new IllegalArgumentException("the prompt has " + ids.length + " tokens; the model takes at most "
                    + layout.maxPositions() + " (max_position_embeddings in config.json)");
        }
        for (int id : ids) {
            if (id < 0 || id >= layout.vocab()) {
                throw new IllegalArgumentException("token id " + id + " is outside the model's vocabulary of "
                        + layout.vocab());
            }
        }
    }

    /** The prompt's token ids, with the special tokens the tokenizer's post-processor adds. */
    public int[] encode(String text) {
        return ints(tokenizer.encode(text, true, false).getIds());
    }

    /**
     * The text's token ids without the special tokens the post-processor adds: for a prompt that has
     * them already, as a chat template writes them.
     */
    public int[] encodeAsIs(String text) {
        return ints(tokenizer.encode(text, false, false).getIds());
    }

    private static int[] ints(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Text of {@code ids}, special tokens left out; bytes that are not yet whole characters become U+FFFD. */
    public String decode(long[] ids) {
        String text = tokenizer.decode(ids, true);
        return cleanUpSpaces ? cleanUp(text) : text;
    }

    /** Hugging Face's clean_up_tokenization: no space before punctuation and English contractions. */
    static String cleanUp(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    @Override
    public void close() {
        tokenizer.close();
        closeQuietly(session);
    }
}
