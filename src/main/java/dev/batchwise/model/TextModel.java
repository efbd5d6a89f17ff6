package dev.batchwise.model;

import dev.batchwise.util.Phrase;

import ai.djl.huggingface.tokenizers.Encoding;
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
 * A text model as a batch function, {@code text -> embedding | label, score | output}: one
 * HuggingFace tokenizer shared by the run, one loaded model and DJL predictor per worker.
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
    private static final int FALLBACK_MAX_LENGTH = 512;

    private final ModelFiles files;
    private final ModelOptions options;
    private final int maxLength;
    private final List<String> labels;
    private final HuggingFaceTokenizer tokenizer;
    private final Signature signature;

    private TextModel(ModelFiles files, ModelOptions options, int maxLength, List<String> labels,
            HuggingFaceTokenizer tokenizer) {
        this.files = files;
        this.options = options;
        this.maxLength = maxLength;
        this.labels = labels;
        this.tokenizer = tokenizer;
        this.signature = new Signature(List.of(new Param(INPUT, ParamType.TEXT, "the text to run the model on")),
                Postprocess.outputNames(options.spec().task(), options.spec().topK()));
    }

    /**
     * Sets up DJL, reads the model's configuration and loads its tokenizer. The model itself loads in
     * {@link #create()}, once per worker.
     */
    public static TextModel open(ModelFiles files, ModelOptions options) throws ModelLoadException {
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
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(files.tokenizer())
                    .optPadding(false)
                    .optTruncation(true)
                    .optMaxLength(maxLength)
                    .optAddSpecialTokens(true)
                    .build();
        } catch (LinkageError e) {
            boolean theUsers = System.getenv("RUST_LIBRARY_PATH") != null;
            throw new ModelLoadException("cannot load the native tokenizer library (" + TextModelFunction.rootMessage(e)
                    + (theUsers ? "); it is the one RUST_LIBRARY_PATH names" : "); the cache in " + options.cache().root()
                            + " checks it at every run, so the library itself or this platform is at fault"), e);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot load the tokenizer " + files.tokenizer() + ": "
                    + TextModelFunction.rootMessage(e), e);
        }
        return new TextModel(files, options, maxLength, labels, tokenizer);
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

    /** Tokenizes one record's text in place; its weight is its token count. */
    @Override
    public int prepare(Object[] args) {
        Tokenized t = tokenize((String) args[0]);
        args[0] = t;
        return t.length();
    }

    Tokenized tokenize(String text) {
        long start = System.nanoTime();
        Encoding e = tokenizer.encode(text);
        return new Tokenized(e.getIds(), e.getTypeIds(), e.exceedMaxLength(), System.nanoTime() - start);
    }

    /** Loads the model for one worker, and checks it runs on a one-record batch. */
    @Override
    public BatchFunction create() throws ModelLoadException {
        return TextModelFunction.load(this, files, options, labels);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
