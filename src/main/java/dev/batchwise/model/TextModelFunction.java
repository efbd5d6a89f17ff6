package dev.batchwise.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's model: a loaded DJL model and its predictor, used from the worker's thread only.
 *
 * <p>The DJL boundary: the translator takes the whole padded batch (the records were tokenized and
 * padded in Java, so the ONNX engine needs no tensor operations of a second engine) and returns the
 * task's values; every engine failure comes out of a call as one {@link BatchFunctionException}.
 * Each call's tensors live in the predictor's per-call manager and are freed when it returns.
 */
final class TextModelFunction implements BatchFunction {

    /** Input names in the order TorchScript models take them; ONNX models name theirs. */
    private static final String IDS = "input_ids";
    private static final String MASK = "attention_mask";
    private static final String TYPES = "token_type_ids";
    private static final List<List<String>> TORCHSCRIPT_INPUTS =
            List.of(List.of(IDS, MASK), List.of(IDS, MASK, TYPES), List.of(IDS));

    private final TextModel owner;
    private final String name;
    private final Model model;
    private final Postprocess.Head head;
    private final List<String> inputs;
    private final Predictor<Packed, List<List<Object>>> predictor;
    /** Whether {@link #close()} closes the model too; false for a {@link #sibling()}, which shares it. */
    private final boolean ownsModel;
    /** Nanoseconds of the last call's phases, written by the translator on the worker's thread. */
    private long packNanos;
    private long postprocessNanos;

    private TextModelFunction(TextModel owner, String name, Model model, List<String> inputs, boolean ownsModel) {
        this.ownsModel = ownsModel;
        this.owner = owner;
        this.name = name;
        this.model = model;
        this.head = owner.head();
        this.inputs = inputs;
        this.predictor = model.newPredictor(new Translator());
    }

    static TextModelFunction load(TextModel owner, ModelFiles files, ModelOptions options) throws ModelLoadException {
        Model model = EngineModels.load(files.name(), files.engine(), files.model(), options.threadsPerWorker());
        List<List<String>> candidates;
        if (files.engine() == Engine.ONNX) {
            List<String> declared = model.describeInput().keys();
            for (String input : declared) {
                if (!List.of(IDS, MASK, TYPES).contains(input)) {
                    model.close();
                    throw new ModelLoadException("model " + files.model() + " takes an input '" + input + "' (its inputs: "
                            + String.join(", ", declared) + "); batchwise feeds text models " + IDS + ", " + MASK
                            + " and " + TYPES + " (int64, [batch, tokens])");
                }
            }
            candidates = List.of(declared);
        } else {
            candidates = TORCHSCRIPT_INPUTS;
        }
        Exception first = null;
        for (List<String> inputs : candidates) {
            TextModelFunction f = new TextModelFunction(owner, files.name(), model, inputs, true);
            try {
                List<List<Object>> trial = new ArrayList<>();
                for (int i = 0; i < owner.signature().inputs().size(); i++) {
                    trial.add(List.of("hello world"));
                }
                f.apply(trial, CallMetrics.NONE);
                return f;
            } catch (BatchFunctionException e) {
                f.predictor.close();
                if (first == null) {
                    first = e;
                }
            }
        }
        model.close();
        notLogits(files, options, first);
        String fed = String.join(" or ", candidates.stream().map(c -> "(" + String.join(", ", c) + ")").toList());
        throw new ModelLoadException("model " + files.model() + " does not run for " + options.spec().task().label()
                + " when fed " + fed + " as int64 [batch, tokens]: " + first.getMessage(), first);
    }

    /**
     * A classify run on a model that returns no logits (an embedding model) is a usage error that says
     * what to do instead; any other failure is left to the caller.
     */
    private static void notLogits(ModelFiles files, ModelOptions options, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotLogitsException e && options.spec().task() == Task.CLASSIFY) {
                throw new SettingException("task", Phrase.of("{task} classify needs a model that returns logits "
                        + "[batch, classes]; %s returns %s, a vector per token as an embedding model does: use "
                        + "{task} embed for it, or export a classifier with its labels (docs/models.md, "
                        + "\"A classifier from Hugging Face\")", files.name(), e.shape()), false);
            }
        }
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
        return apply(inputs, CallMetrics.NONE);
    }

    /**
     * Takes texts (and, for a pair task, their pairs) or records as prepared on the intake thread
     * ({@link Tokenized}, {@link Chunked}). The pieces of chunked records share the model call with
     * the other records and are put back together per record afterwards.
     */
    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws BatchFunctionException {
        List<Object> texts = inputs.get(0);
        List<Object> pairs = inputs.size() > 1 ? inputs.get(1) : null;
        long start = System.nanoTime();
        List<Tokenized> records = new ArrayList<>(texts.size());
        Chunked[] chunked = null;
        long tokenizeNanos = 0;
        int truncated = 0;
        for (int i = 0; i < texts.size(); i++) {
            Object p = owner.prepared(texts.get(i), pairs == null ? null : pairs.get(i));
            if (p instanceof Chunked c) {
                if (chunked == null) {
                    chunked = new Chunked[texts.size()];
                }
                chunked[i] = c;
                records.addAll(c.pieces());
                tokenizeNanos += c.tokenizeNanos();
            } else {
                Tokenized tok = (Tokenized) p;
                records.add(tok);
                tokenizeNanos += tok.tokenizeNanos();
                if (tok.truncated()) {
                    truncated++;
                }
            }
        }
        Packed batch = Packed.of(records);
        long packed = System.nanoTime();
        List<List<Object>> out;
        try {
            out = predictor.predict(batch);
        } catch (TranslateException | RuntimeException e) {
            throw new BatchFunctionException("model '" + name + "' failed: " + rootMessage(e), e);
        }
        if (chunked != null) {
            out = List.of(Chunks.regroup(out.get(0), chunked, owner.embedSettings()));
        }
        long end = System.nanoTime();
        metrics.phase("tokenize", tokenizeNanos + (packed - start) + packNanos);
        metrics.phase("model", end - packed - packNanos - postprocessNanos);
        metrics.phase("postprocess", postprocessNanos);
        metrics.tokens(batch.realTokens(), batch.paddedTokens());
        if (truncated > 0) {
            metrics.truncated(truncated);
        }
        return out;
    }

    /**
     * Another function on this one's loaded model, with a predictor of its own, for another thread.
     * Closing it closes only its predictor; the model stays open until this function is closed,
     * which must come after every sibling's last call.
     */
    TextModelFunction sibling() {
        return new TextModelFunction(owner, name, model, inputs, false);
    }

    @Override
    public void close() {
        predictor.close();
        if (ownsModel) {
            model.close();
        }
    }

    /** The innermost message, which is where engines say what went wrong. */
    static String rootMessage(Throwable e) {
        return dev.batchwise.util.Errors.rootMessage(e);
    }

    /** The whole padded batch in, the task's values out. */
    private final class Translator implements NoBatchifyTranslator<Packed, List<List<Object>>> {
        @Override
        public NDList processInput(TranslatorContext ctx, Packed batch) {
            long start = System.nanoTime();
            NDManager manager = ctx.getNDManager();
            Shape shape = new Shape(batch.batch, batch.tokens);
            NDList list = new NDList(inputs.size());
            for (String input : inputs) {
                long[] data = switch (input) {
                    case IDS -> batch.ids;
                    case MASK -> batch.mask;
                    default -> batch.typeIds;
                };
                NDArray array = manager.create(data, shape);
                array.setName(input);
                list.add(array);
            }
            ctx.setAttachment("batch", batch);
            packNanos = System.nanoTime() - start;
            return list;
        }

        @Override
        public List<List<Object>> processOutput(TranslatorContext ctx, NDList list) {
            long start = System.nanoTime();
            Packed batch = (Packed) ctx.getAttachment("batch");
            List<List<Object>> out = Postprocess.apply(head, list, batch);
            postprocessNanos = System.nanoTime() - start;
            return out;
        }
    }
}
