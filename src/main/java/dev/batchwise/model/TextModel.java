package dev.batchwise.model;

import dev.batchwise.util.Phrase;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import java.io.IOException;
import java.util.List;

/**
 * A text model as a batch function, {@code text -> embedding | chunks | label, score | output}, or
 * {@code text, text_pair -> score} for a cross-encoder: one HuggingFace tokenizer shared by the run,
 * one loaded model and DJL predictor per worker.
 *
 * <p>Records are tokenized as they are read ({@link #prepare}), on the intake thread, so that
 * tokenizing overlaps with the workers' model calls and each record's token count is known for length
 * grouping; a batch is then padded to its longest record only.
 *
 * <p>Max length, unless given: sentence_bert_config.json's {@code max_seq_length}, else the
 * tokenizer file's truncation length, else config.json's {@code max_position_embeddings}, else
 * 512; never more than {@code max_position_embeddings}.
 */
public final class TextModel implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    static final String INPUT = "text";
    static final String PAIR = "text_pair";
    private static final int FALLBACK_MAX_LENGTH = 512;

    private final ModelFiles files;
    private final ModelOptions options;
    private final EmbedSettings embed;
    private final int maxLength;
    private final Postprocess.Head head;
    private final HuggingFaceTokenizer tokenizer;
    /** Untruncated, for finding chunk boundaries; {@code null} without chunking. */
    private final HuggingFaceTokenizer whole;
    private final TextInputs inputs;
    private final Signature signature;
    /** The SHA-256 of the model and tokenizer files, made on first use; guarded by {@code this}. */
    private byte[] contentDigest;

    private TextModel(ModelFiles files, ModelOptions options, EmbedSettings embed, int maxLength,
            Postprocess.Head head, HuggingFaceTokenizer tokenizer, HuggingFaceTokenizer whole, TextInputs inputs) {
        this.files = files;
        this.options = options;
        this.embed = embed;
        this.maxLength = maxLength;
        this.head = head;
        this.tokenizer = tokenizer;
        this.whole = whole;
        this.inputs = inputs;
        List<Param> params = options.task() == Task.SCORE
                ? List.of(new Param(INPUT, ParamType.TEXT, "the query, or the first text of the pair"),
                        new Param(PAIR, ParamType.TEXT, "the passage, or the second text of the pair"))
                : List.of(new Param(INPUT, ParamType.TEXT, "the text to run the model on"));
        this.signature = new Signature(params, Postprocess.outputNames(options.task(), options.topK(), embed.chunking()));
    }

    /** {@link #open(ModelFiles, ModelOptions, EmbedOptions)} with the model's own embedding settings. */
    public static TextModel open(ModelFiles files, ModelOptions options) throws ModelLoadException {
        return open(files, options, EmbedOptions.DEFAULTS);
    }

    /**
     * Sets up DJL, reads the model's configuration and loads its tokenizer. The model itself loads in
     * {@link #create()}, once per worker.
     *
     * @throws IllegalArgumentException for an embedding choice the model or task cannot take (a usage
     *     error: a query prefix of a model without one, chunks larger than the model's max length)
     */
    public static TextModel open(ModelFiles files, ModelOptions options, EmbedOptions embedOptions)
            throws ModelLoadException {
        EmbedSettings embed = EmbedSettings.resolve(files.name(), files.defaults(), embedOptions, options.task());
        try {
            DjlEnvironment.prepare(options.cache(), files.engine() == Engine.ONNX, options.threadsPerWorker());
        } catch (IOException e) {
            throw new ModelLoadException(Phrase.of("cannot prepare the %s engine in %s: %s (choose a writable place with "
                    + "{cache-dir} or BATCHWISE_CACHE_DIR)", files.engine().djlName(), options.cache().root(),
                    ModelCache.describe(e)), e);
        }
        List<String> labels = files.labels();
        int maxLength = maxLength(files, options);
        HuggingFaceTokenizer tokenizer;
        HuggingFaceTokenizer whole = null;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(files.tokenizer())
                    .optPadding(false)
                    .optTruncation(true)
                    .optMaxLength(maxLength)
                    .optAddSpecialTokens(true)
                    .build();
            if (embed.chunking().enabled()) {
                whole = HuggingFaceTokenizer.builder().optTokenizerPath(files.tokenizer()).optPadding(false)
                        .optTruncation(false).optAddSpecialTokens(false).build();
            }
        } catch (LinkageError e) {
            boolean theUsers = System.getenv("RUST_LIBRARY_PATH") != null;
            throw new ModelLoadException("cannot load the native tokenizer library (" + TextModelFunction.rootMessage(e)
                    + (theUsers ? "); it is the one RUST_LIBRARY_PATH names" : "); the cache in " + options.cache().root()
                            + " checks it at every run, so the library itself or this platform is at fault"), e);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot load the tokenizer " + files.tokenizer() + ": "
                    + TextModelFunction.rootMessage(e), e);
        }
        TextInputs inputs;
        try {
            inputs = new TextInputs(tokenizer, whole, embed.prefix(), embed.chunking(), maxLength);
        } catch (IllegalArgumentException e) {
            tokenizer.close();
            if (whole != null) {
                whole.close();
            }
            throw e;
        }
        Postprocess.Head head = new Postprocess.Head(options.task(), labels, options.topK(), embed,
                ScoreHead.of(files.config(), labels));
        return new TextModel(files, options, embed, maxLength, head, tokenizer, whole, inputs);
    }

    private static int maxLength(ModelFiles files, ModelOptions options) throws ModelLoadException {
        int limit = files.maxPositionEmbeddings();
        int chosen = options.maxLength();
        if (chosen == 0) {
            chosen = files.maxSeqLength();
        }
        if (chosen == 0) {
            chosen = tokenizerTruncation(files);
        }
        if (chosen == 0) {
            chosen = limit > 0 ? limit : FALLBACK_MAX_LENGTH;
        }
        if (limit > 0 && chosen > limit) {
            if (options.maxLength() > 0) {
                throw new ModelLoadException(Phrase.of("{max-length} %s is more than the model's %s positions "
                        + "(max_position_embeddings in config.json)", options.maxLength(), limit), null);
            }
            chosen = limit;
        }
        return chosen;
    }

    private static int tokenizerTruncation(ModelFiles files) throws ModelLoadException {
        try {
            JsonNode tok = JsonMapper.builder().build().readTree(files.tokenizer().toFile());
            return tok.path("truncation").path("max_length").asInt(0);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + files.tokenizer() + ": " + dev.batchwise.util.Errors.describe(e),
                    e);
        }
    }

    @Override
    public String name() {
        return files.name();
    }

    @Override
    public Signature signature() {
        return signature;
    }

    public ModelFiles files() {
        return files;
    }

    public int maxLength() {
        return maxLength;
    }

    public Task task() {
        return options.spec().task();
    }

    public int threadsPerWorker() {
        return options.threadsPerWorker();
    }

    /** The embedding settings in use: pooling, normalisation, prefix, chunking. */
    public EmbedSettings embedSettings() {
        return embed;
    }

    /** Every setting that changes an output, in one line, for the stats and the cache key. */
    public String describeSettings() {
        return "task " + options.task().label() + ", max length " + maxLength
                + (options.task() == Task.CLASSIFY ? ", top " + options.topK() : "")
                + (options.task() == Task.EMBED ? ", " + embed.describe() : "")
                + (inputs.pieceTokens() > 0 ? ", chunk tokens " + inputs.pieceTokens() : "");
    }

    /**
     * The SHA-256 of the model file (as run, so after any rewrite) and the tokenizer file, in that
     * order: the model's identity by content, not by name. Read once, on first use.
     */
    public synchronized byte[] contentDigest() throws IOException {
        if (contentDigest == null) {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (java.nio.file.Path f : List.of(files.model(), files.tokenizer())) {
                    try (java.io.InputStream in = java.nio.file.Files.newInputStream(f)) {
                        byte[] buffer = new byte[1 << 16];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            sha.update(buffer, 0, n);
                        }
                    }
                    sha.update((byte) 0);
                }
                contentDigest = sha.digest();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return contentDigest.clone();
    }

    /**
     * Tokenizes one record's text in place (a pair's into its first argument), splitting it into
     * pieces when chunking; its weight is its token count (a chunked record's, all its pieces').
     */
    @Override
    public int prepare(Object[] args) {
        Object p = prepared(args[0], args.length > 1 ? args[1] : null);
        args[0] = p;
        return p instanceof Chunked c ? c.tokens() : ((Tokenized) p).length();
    }

    /** A record's model input(s): {@link Tokenized}, or {@link Chunked} when chunking; already prepared ones as they are. */
    Object prepared(Object text, Object pair) {
        if (text instanceof Tokenized || text instanceof Chunked) {
            return text;
        }
        if (options.task() == Task.SCORE) {
            return inputs.pair((String) text, (String) pair);
        }
        return embed.chunking().enabled() ? inputs.chunks((String) text) : inputs.single((String) text);
    }

    Tokenized tokenize(String text) {
        return inputs.single(text);
    }

    Postprocess.Head head() {
        return head;
    }

    /** Loads the model for one worker, and checks it runs on a one-record batch. */
    @Override
    public BatchFunction create() throws ModelLoadException {
        return TextModelFunction.load(this, files, options);
    }

    @Override
    public void close() {
        tokenizer.close();
        if (whole != null) {
            whole.close();
        }
    }
}
