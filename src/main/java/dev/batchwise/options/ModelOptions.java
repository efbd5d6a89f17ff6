package dev.batchwise.options;

import dev.batchwise.model.Task;
import dev.batchwise.run.ModelFunctions;
import dev.batchwise.run.RunSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which model runs, and how: taken by {@code run}, {@code bench} and the Spark job. */
public final class ModelOptions implements SpecOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "NAME|PATH", completionCandidates = Candidates.Models.class,
            description = """
                    A bundled model: minilm (all-MiniLM-L6-v2, fp32; the default) or minilm-q (int8, faster; each \
                    token is quantised on its own, so a record's embedding does not depend on its batch-mates), \
                    bge-small-en-v1.5, e5-small-v2 and their int8 -q versions (batchwise models lists them). Or a \
                    directory or file: model.onnx (ONNX Runtime) or model.pt (TorchScript, PyTorch) with \
                    tokenizer.json beside it, and optionally config.json (id2label, max_position_embeddings). Image \
                    models: nsfw (nsfwjs's picture classifier), or a directory with model.onnx and \
                    preprocessor_config.json; give them pictures: a folder, a quoted glob, image files, or a column \
                    of paths (--input image=COLUMN).""")
    String model;

    @Option(names = "--task", paramLabel = "TASK",
            description = """
                    embed (the model's pooling, unit length: an 'embedding' per record), classify \
                    (softmax over the logits: 'label' and 'score', labels from config.json), raw (the model's \
                    first output as numbers), score (a cross-encoder over pairs, --input \
                    text=query,text_pair=passage: a relevance 'score' per pair), or generate (text from a decoder \
                    directory: 'text', 'finish_reason', 'prompt_tokens', 'completion_tokens'). Default: embed; \
                    classify for an image model that names its classes (nsfw); generate for a decoder.""")
    Task task;

    @Option(names = "--top-k", paramLabel = "K",
            description = """
                    For classify: also list the K most likely labels in 'top_k' (default: 1). For generate: sample \
                    from the K most likely tokens (default: 0, all of them); a record's top_k field overrides it.""")
    Integer topK;

    @Option(names = "--max-length", paramLabel = "TOKENS",
            description = """
                    Truncate each record to this many tokens (truncations are counted in the stats). Default: the \
                    model's: 256 for minilm, as sentence-transformers uses for it.""")
    Integer maxLength;

    @Option(names = "--model-threads", paramLabel = "N", descriptionKey = "model-threads",
            description = """
                    Math threads of each worker's model. Default: the cores divided among the workers.""")
    Integer threads;

    @Option(names = "--cache-dir", paramLabel = "DIR", descriptionKey = "cache-dir",
            description = """
                    Where model files and native libraries are extracted, once. Default: $BATCHWISE_CACHE_DIR, else \
                    $XDG_CACHE_HOME/batchwise, else ~/.cache/batchwise.""")
    Path cacheDir;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        spec.function.model = model;
        spec.model.cacheDir = cacheDir == null ? null : cacheDir.toString();
        spec.model.task = task != null ? task : ModelFunctions.defaultTask(model); // image classifier, decoder
        if (topK != null) { // one option, two meanings by task: each part keeps its own default
            spec.model.topK = topK;
            spec.generation.topK = topK;
        }
        spec.model.maxLength = maxLength;
        if (threads != null) {
            spec.model.threads = threads; // else the front end's default stands
        }
    }
}
