package dev.batchwise.options;

import dev.batchwise.model.Chunking;
import dev.batchwise.model.EmbedOptions;
import dev.batchwise.model.Pooling;
import dev.batchwise.run.EmbeddingSpec;
import dev.batchwise.run.RunSpec;
import dev.batchwise.sink.EmbeddingFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How a text model's embeddings are made and written: prefix, pooling, normalisation, chunks of long
 * texts, the vector format and the cache. Taken by {@code run}; {@code bench} and the Spark job take
 * those that change what the model computes.
 */
public final class EmbeddingOptions implements SpecOptions {

    private static final String BENCH_NO_LINES = "bench writes no output lines (each point's are discarded)";

    @Option(names = "--prefix", paramLabel = "TEXT",
            description = """
                    Put TEXT before every record's text (and before every piece of a chunked one), e.g. \
                    --prefix 'query: '. Default: the model's passage prefix, if it has one (e5: 'passage: ').""")
    String prefix;

    @Option(names = "--query",
            description = """
                    Use the model's own query prefix (bge: its search instruction; e5: 'query: '), for embedding \
                    search queries. Refused for a model that has none.""")
    boolean query;

    @Option(names = "--passage",
            description = """
                    Use the model's own passage prefix (e5: 'passage: '; bge: none), for embedding the texts \
                    searched. The default for such models.""")
    boolean passage;

    @Option(names = "--pooling", paramLabel = "MODE",
            description = """
                    ${COMPLETION-CANDIDATES}: the mean of the real tokens' vectors, the first token's (CLS), the \
                    last real token's, or none (the model's own per-record output). Default: the model's (minilm \
                    and e5 mean, bge cls; a user model's 1_Pooling/config.json).""")
    Pooling pooling;

    @Option(names = "--no-normalize",
            description = """
                    Write vectors as pooled, not scaled to unit length.""")
    boolean noNormalize;

    @Option(names = "--chunk", paramLabel = "TOKENS",
            description = """
                    Split a record longer than TOKENS text tokens into pieces on token boundaries and embed every \
                    piece, instead of truncating it; 0 for as many tokens as fit the model's max length.""")
    Integer chunkTokens;

    @Option(names = "--chunk-overlap", paramLabel = "TOKENS",
            description = """
                    With --chunk: tokens each piece repeats from the end of the previous one. Default: 0.""")
    Integer chunkOverlapTokens;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        EmbeddingSpec.Builder e = spec.embedding;
        e.prefix = prefix;
        if (query && passage) {
            throw new dev.batchwise.util.SettingException("query", dev.batchwise.util.Phrase.of(
                    "{query} and {passage} exclude each other: choose one"));
        }
        e.role = query ? EmbedOptions.Role.QUERY : passage ? EmbedOptions.Role.PASSAGE : null;
        e.pooling = pooling;
        e.normalize = noNormalize ? Boolean.FALSE : null;
        e.chunkTokens = chunkTokens;
        e.chunkOverlapTokens = chunkOverlapTokens;
    }

    /** What a chunked record's output is: taken by {@code run} and {@code bench}. */
    @Refused(spark = "the job's output columns are fixed per task: a chunked record gives the mean of its pieces")
    public static final class ChunkOutput implements SpecOptions {

        @Option(names = "--chunk-output", paramLabel = "HOW",
                description = """
                        With --chunk: mean (one 'embedding' per record, the mean of its pieces') or each ('chunks': \
                        every piece's index, start and end in characters of the text, and embedding). Default: mean.""")
        Chunking.Output chunkOutput;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.embedding.chunkOutput = chunkOutput;
        }
    }

    /** How vectors are written, and the store of computed ones: {@code run} alone. */
    public static final class Written implements SpecOptions {

        @Option(names = "--embedding-format", paramLabel = "FORMAT",
                description = """
                        ${COMPLETION-CANDIDATES}: how each vector is written. float16 rounds to half precision; int8 \
                        maps [-1, 1] to -128..127; binary packs the sign bits, 8 dimensions a byte; base64 is the float32 \
                        bytes as text (JSON Lines and CSV only). Default: float.""")
        @Refused(bench = BENCH_NO_LINES, spark = "the job writes vectors as arrays of float")
        EmbeddingFormat format;

        @Option(names = "--cache", paramLabel = "FILE",
                description = """
                        Keep every computed output in FILE (an SQLite database, created if missing), keyed by the model \
                        files' content, the settings that change an output, and the text; a record found there is not \
                        run again. Hits and misses are in the stats.""")
        @Refused(bench = "a bench point served from the store would measure the store, not the model",
                spark = "executors do not share a local file; an SQLite file on a shared file system is not safe to "
                        + "write from several machines")
        Path cache;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            if (format != null) {
                spec.embedding.format = format;
            }
            spec.embedding.cache = cache == null ? null : cache.toString();
        }
    }
}
