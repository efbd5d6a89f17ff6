package dev.batchwise.cli;

import dev.batchwise.model.Task;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.InputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code batchwise run}, in the groups its help shows them in. Plain holders that
 * picocli fills; {@link RunCommand} validates them into a run config.
 */
final class RunOptions {

    private RunOptions() {}

    static class InputOptions {
        @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
                description = "Input format: ${COMPLETION-CANDIDATES}. Default: from the file extension; for standard "
                        + "input and other names, jsonl if the first character is '{', else text.")
        InputFormat format;

        @Option(names = {"-i", "--input"}, paramLabel = "PARAM=COLUMN", mapFallbackValue = "",
                description = "Read the function's input PARAM from COLUMN (a CSV/TSV column or JSON field). "
                        + "By default a parameter reads the column of its own name; text input has one field, 'text'.")
        Map<String, String> mapping = new LinkedHashMap<>();

        @Option(names = "--id", paramLabel = "COLUMN",
                description = "Key each output line by this column's value instead of the record's sequence number.")
        String idColumn;

        @Option(names = "--no-header", negatable = false,
                description = "CSV/TSV inputs have no header row; columns are named by position: 1, 2, ...")
        boolean noHeader;

        @Option(names = "--ragged-rows",
                description = "Accept CSV/TSV rows with fewer or more fields than the header (missing fields are "
                        + "absent, extra ones ignored). Without it such a row is a failed record.")
        boolean raggedRows;

        @Option(names = "--max-record-size", paramLabel = "SIZE", defaultValue = "1MiB",
                description = "The longest line or record accepted; a longer one is a failed record. Default: ${DEFAULT-VALUE}.")
        String maxRecordSize;
    }

    /** The input options of {@code run} alone: {@code bench} cycles through its inputs, so a limit means nothing there. */
    static final class RunInputOptions extends InputOptions {
        @Option(names = "--limit", paramLabel = "N",
                description = "Read only the first N records of the inputs (counted over all of them, in order), "
                        + "for a smoke run; N from 1 up. Failed records count. Default: all.")
        Long limit;
    }

    static final class ModelOptionsGroup {
        @Option(names = {"-m", "--model"}, paramLabel = "NAME|PATH", completionCandidates = Candidates.Models.class,
                description = "A bundled model: minilm (all-MiniLM-L6-v2, fp32; the default) or minilm-q (int8, faster; "
                        + "each token is quantised on its own, so a record's embedding does not depend on its "
                        + "batch-mates). Or a directory or file: model.onnx (ONNX Runtime) or model.pt (TorchScript, "
                        + "PyTorch) with tokenizer.json beside it, and optionally config.json (id2label, "
                        + "max_position_embeddings).")
        String spec;

        @Option(names = "--task", paramLabel = "TASK", defaultValue = "embed",
                description = "embed (mean pooling over the attention mask, unit length: an 'embedding' per record), "
                        + "classify (softmax over the logits: 'label' and 'score', labels from config.json), or raw "
                        + "(the model's first output as numbers). Default: ${DEFAULT-VALUE}.")
        Task task;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "1",
                description = "For classify: also list the K most likely labels in 'top_k'. Default: ${DEFAULT-VALUE}.")
        int topK;

        @Option(names = "--max-length", paramLabel = "TOKENS",
                description = "Truncate each record to this many tokens (truncations are counted in the stats). "
                        + "Default: the model's: 256 for minilm, as sentence-transformers uses for it.")
        Integer maxLength;

        @Option(names = "--model-threads", paramLabel = "N",
                description = "Math threads of each worker's model. Default: the cores divided among the workers.")
        Integer threads;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Where model files and native libraries are extracted, once. Default: "
                        + "$BATCHWISE_CACHE_DIR, else $XDG_CACHE_HOME/batchwise, else ~/.cache/batchwise.")
        Path cacheDir;
    }

    static final class FunctionOptions {
        @Option(names = "--fn", paramLabel = "NAME", completionCandidates = Candidates.Functions.class,
                description = "Run a batch function instead of a model: trim-words, echo, or one from a --plugin jar "
                        + "('batchwise models' lists them).")
        String name;

        @Option(names = "--fn-arg", paramLabel = "KEY=VALUE",
                description = "A setting of the function, e.g. delay=5s (a simulated cost per call) or per-item=2ms.")
        Map<String, String> args = new LinkedHashMap<>();

        @Option(names = "--plugin", paramLabel = "JAR",
                description = "A jar with more functions (registered as dev.batchwise.fn.BatchFunctionProvider services).")
        List<Path> plugins = new ArrayList<>();
    }

    /** The arrival option {@code run} and {@code bench} share: {@code bench} has its own lists of loads. */
    static class SeedOptions {
        @Option(names = "--seed", paramLabel = "N", defaultValue = "1", order = 100,
                description = "Seed of the Poisson arrival gaps (in bench, also of the random order records are "
                        + "drawn in). Default: ${DEFAULT-VALUE}.")
        long seed;
    }

    static final class ArrivalOptions extends SeedOptions {
        @Option(names = "--arrival", paramLabel = "MODE", completionCandidates = Candidates.Arrivals.class,
                description = "burst (default): every record as fast as the queue accepts it. constant or poisson: "
                        + "an open loop at --rate, with equal or exponential gaps.")
        String mode;

        @Option(names = {"-c", "--concurrency"}, paramLabel = "N",
                description = "N closed-loop clients: each sends its next record when its previous one returns.")
        Integer concurrency;

        @Option(names = "--rate", paramLabel = "PER_SECOND",
                description = "Open loop: records arrive at this rate whether or not the system keeps up; latency "
                        + "counts from each record's scheduled time.")
        Double rate;
    }

    /**
     * The queue's options, which {@code run} and {@code bench} share: every point of a sweep gets them
     * as a run does.
     */
    static class QueueOptions {
        @Option(names = "--group-by-length", negatable = true, order = 100,
                description = "Pick each batch's records among the pending ones of similar token length, so batches "
                        + "waste less on padding (the oldest record always goes first; output order is unchanged). "
                        + "Default: on for models under burst arrival, off otherwise.")
        Boolean groupByLength;

        @Option(names = "--max-batch-tokens", paramLabel = "N", defaultValue = "0", order = 100,
                description = "Cap a batch's tokens, counting padding (records x longest record), as "
                        + "text-embeddings-inference does; a longer record still goes, alone. 0 (default): no cap.")
        long maxBatchTokens;

        @Option(names = "--lookahead", paramLabel = "N", order = 100,
                description = "How many pending records length grouping may choose from; no record waits behind "
                        + "more than this many. Default: the whole queue under burst arrival, else 8 x the max batch "
                        + "size.")
        Integer lookahead;

        @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "1024", order = 100,
                description = "The most records waiting in the queue; when full, reading waits (never drops). "
                        + "Default: ${DEFAULT-VALUE}.")
        int queueCapacity;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "0", order = 100,
                description = "A record that has waited in the queue longer than this is not run: it fails with "
                        + "\"timed out after X in queue\" (Triton's REJECT policy). 0 (default): no limit.")
        String timeout;
    }

    static final class BatchingOptions extends QueueOptions {
        @Option(names = {"-b", "--max-batch-size"}, paramLabel = "N", defaultValue = "16",
                description = "The most records in one call of the function. Default: ${DEFAULT-VALUE}.")
        int maxBatchSize;

        @Option(names = "--max-delay", paramLabel = "DURATION", defaultValue = "0",
                description = "How long to hold a partial batch for more records, counted from the arrival of the "
                        + "oldest waiting record (as Triton does). 0 (default): send what is pending at once, never "
                        + "wait (as Gradio does).")
        String maxDelay;

        @Option(names = {"-w", "--workers"}, paramLabel = "N",
                description = "Batches run in parallel, each worker with its own function or model instance "
                        + "(Gradio's concurrency_limit). Default: 1 for a --fn function; for a model, one per core up "
                        + "to 4 (on CPU, separate single-threaded instances outrun one multi-threaded one).")
        Integer workers;
    }

    static final class FailureOptions {
        @Option(names = "--on-error", paramLabel = "WHAT", defaultValue = "continue",
                completionCandidates = Candidates.OnErrors.class,
                description = "continue (default): a failed record gets an \"error\" in the output and the run goes on. "
                        + "stop: the first failed record stops the reading; what was read before it is run and "
                        + "written. Either way the exit code is 1.")
        String onError;

        @Option(names = "--errors", paramLabel = "FILE",
                description = "Also write each failed record here, as JSON Lines: the record as read, and its error "
                        + "under \"_error\". Run the same command on FILE to redo just those records.")
        Path errors;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s",
                description = "On Ctrl-C or SIGTERM, how long running batches may take to finish; a second signal "
                        + "stops at once. Default: ${DEFAULT-VALUE}.")
        String grace;

        @Option(names = "--resume",
                description = "With -o FILE: continue the FILE.partial that an interrupted run of the same command on "
                        + "the same inputs left, instead of starting over. The records already in it are not run again.")
        boolean resume;
    }

    static final class OutputOptions {
        @Option(names = {"-o", "--output"}, paramLabel = "FILE",
                description = "Write output lines here (under FILE.partial until the run completes). Default: standard output.")
        Path file;

        @Option(names = "--output-format", paramLabel = "FORMAT",
                description = "${COMPLETION-CANDIDATES}. Default: from the -o extension, else jsonl.")
        OutputFormat format;

        @Option(names = "--keep", paramLabel = "COLUMN", split = ",",
                description = "Copy these input columns (or JSON fields) into each output line, after the id and "
                        + "before the outputs, e.g. --keep text to have the text beside its embedding. Failed records "
                        + "keep them too; a record without the column gets null (CSV: empty). A column the header "
                        + "lacks, or one named like a field the line has (id, error, timing, an output), is refused.")
        List<String> keep = new ArrayList<>();

        @Option(names = "--with-timing",
                description = "Add queue_ms, compute_ms, latency_ms and batch_size to each output line.")
        boolean withTiming;
    }

    /** The options of what a command prints on standard error, which {@code run} and {@code bench} share. */
    static class MessageOptions {
        @Option(names = {"-q", "--quiet"}, order = 20,
                description = "Print nothing on standard error but errors: no tables, progress or warnings.")
        boolean quiet;

        @Option(names = "--no-progress", negatable = false, order = 30,
                description = "No live progress line (it shows only when standard error is a terminal anyway).")
        boolean noProgress;

        @Option(names = {"-v", "--verbose"}, order = 50, description = "Show stack traces of errors.")
        boolean verbose;
    }

    static final class StatsOptions extends MessageOptions {
        @Option(names = "--stats-json", paramLabel = "FILE", order = 10,
                description = "Also write the stats as JSON to FILE.")
        Path statsJson;

        @Option(names = "--expect-records", paramLabel = "N", order = 40,
                description = "For CI: exit with code 6 unless the output has exactly N records (failed ones "
                        + "included; see also the exit code 1 for failed records).")
        Long expectRecords;
    }

}
