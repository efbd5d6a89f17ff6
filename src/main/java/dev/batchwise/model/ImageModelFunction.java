package dev.batchwise.model;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.image.Layout;
import java.util.ArrayList;
import java.util.List;

/**
 * One worker's image model: a loaded ONNX model and its predictor, used from the worker's thread only.
 *
 * <p>A call stacks its records' prepared values into one {@code [batch, 3, height, width]} (or
 * channels-last) float tensor, as the model's input declares, runs it, and turns the outputs into the
 * task's values; every engine failure comes out as one {@link BatchFunctionException}.
 */
final class ImageModelFunction implements BatchFunction {

    private final ImageModel owner;
    private final String name;
    private final Model model;
    private final String input;
    private final Layout layout;
    private final int height;
    private final int width;
    private final Task task;
    private final int topK;
    private final List<String> labels;
    private final Predictor<float[], List<List<Object>>> predictor;
    /** Nanoseconds of the last call's output step, written by the translator on the worker's thread. */
    private long postprocessNanos;

    private ImageModelFunction(ImageModel owner, String name, Model model, String input, Layout layout,
            ModelOptions options, List<String> labels) {
        this.owner = owner;
        this.name = name;
        this.model = model;
        this.input = input;
        this.layout = layout;
        this.height = owner.preprocessor().height();
        this.width = owner.preprocessor().width();
        this.task = options.task();
        this.topK = options.topK();
        this.labels = labels;
        this.predictor = model.newPredictor(new Translator());
    }

    static ImageModelFunction load(ImageModel owner, ImageModelFiles files, ModelOptions options, List<String> labels)
            throws ModelLoadException {
        Model model = EngineModels.load(files.name(), Engine.ONNX, files.model(), options.threadsPerWorker());
        ImageModelFunction f = new ImageModelFunction(owner, files.name(), model, owner.input().name(),
                owner.layout(), options, labels);
        try {
            float[] black = new float[owner.preprocessor().valuesPerImage()];
            f.apply(List.of(List.of(new PreparedImage(black, 0, 0))), CallMetrics.NONE);
            return f;
        } catch (BatchFunctionException e) {
            f.close();
            throw new ModelLoadException("model " + files.model() + " does not run for " + options.task().label()
                    + " on a batch of one " + owner.preprocessor().width() + "x" + owner.preprocessor().height()
                    + " image: " + e.getMessage(), e);
        }
    }

    /**
     * The model's one input, as its graph declares it, and where it puts the channels: the axis of
     * size 3 (second: NCHW, last: NHWC); when neither size is declared, a symbolic name says
     * ({@code num_channels} or {@code channels}), else NCHW, as Hugging Face's exports are. A declared
     * height and width must be what preprocessor_config.json makes.
     */
    static Layout layout(ImageModelFiles files, OnnxInputs.Input input, int height, int width)
            throws ModelLoadException {
        String what = "model " + files.model() + " takes '" + input.name() + "' " + describe(input);
        if (input.rank() != 4) {
            throw new ModelLoadException(what + "; an image model takes [batch, 3, height, width] or "
                    + "[batch, height, width, 3]");
        }
        if (input.elemType() != 0 && input.elemType() != FLOAT) {
            throw new ModelLoadException(what + " of ONNX type " + input.elemType() + "; batchwise feeds images as "
                    + "float32 (type 1)");
        }
        long c1 = input.dims()[1];
        long c3 = input.dims()[3];
        Layout layout;
        if (c1 == 3 && c3 != 3) {
            layout = Layout.NCHW;
        } else if (c3 == 3 && c1 != 3) {
            layout = Layout.NHWC;
        } else if (c1 == 3 || (c1 < 0 && c3 < 0 && !isChannels(input.params()[3]))) {
            layout = Layout.NCHW;
        } else if (c1 < 0 && c3 < 0) {
            layout = Layout.NHWC;
        } else {
            throw new ModelLoadException(what + ": no axis of 3 channels; batchwise feeds RGB images");
        }
        long h = layout == Layout.NCHW ? input.dims()[2] : input.dims()[1];
        long w = layout == Layout.NCHW ? input.dims()[3] : input.dims()[2];
        if ((h > 0 && h != height) || (w > 0 && w != width)) {
            throw new ModelLoadException(what + ", images of " + w + "x" + h + ", but " + files.preprocessorConfig()
                    + " makes them " + width + "x" + height);
        }
        return layout;
    }

    private static final int FLOAT = 1;

    private static boolean isChannels(String param) {
        return param != null && param.toLowerCase(java.util.Locale.ROOT).contains("channel");
    }

    private static String describe(OnnxInputs.Input input) {
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < input.rank(); i++) {
            dims.add(input.dims()[i] >= 0 ? Long.toString(input.dims()[i])
                    : input.params()[i] != null ? input.params()[i] : "?");
        }
        return "[" + String.join(", ", dims) + "]";
    }

    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
        return apply(inputs, CallMetrics.NONE);
    }

    /** Takes image paths or {@link PreparedImage} records (as prepared on the intake thread). */
    @Override
    public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws BatchFunctionException {
        List<Object> images = inputs.get(0);
        long start = System.nanoTime();
        int n = images.size();
        int per = 3 * height * width;
        float[] batch = new float[n * per];
        long decodeNanos = 0;
        long preprocessNanos = 0;
        for (int i = 0; i < n; i++) {
            Object o = images.get(i);
            PreparedImage p = o instanceof PreparedImage prepared ? prepared : owner.prepareImage(o);
            decodeNanos += p.decodeNanos();
            preprocessNanos += p.preprocessNanos();
            stack(p.values(), batch, i * per);
        }
        long stacked = System.nanoTime();
        List<List<Object>> out;
        try {
            out = predictor.predict(batch);
        } catch (TranslateException | RuntimeException e) {
            throw new BatchFunctionException("model '" + name + "' failed: " + TextModelFunction.rootMessage(e), e);
        }
        long end = System.nanoTime();
        metrics.phase("decode", decodeNanos);
        metrics.phase("preprocess", preprocessNanos + (stacked - start));
        metrics.phase("model", end - stacked - postprocessNanos);
        metrics.phase("postprocess", postprocessNanos);
        return out;
    }

    /** Copies one image's channels-last values into the batch, in the model's layout. */
    private void stack(float[] hwc, float[] batch, int at) {
        if (layout == Layout.NHWC) {
            System.arraycopy(hwc, 0, batch, at, hwc.length);
            return;
        }
        int plane = height * width;
        for (int p = 0, s = 0; p < plane; p++, s += 3) {
            batch[at + p] = hwc[s];
            batch[at + plane + p] = hwc[s + 1];
            batch[at + 2 * plane + p] = hwc[s + 2];
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** The stacked batch in, the task's values out. */
    private final class Translator implements NoBatchifyTranslator<float[], List<List<Object>>> {
        @Override
        public NDList processInput(TranslatorContext ctx, float[] batch) {
            int n = batch.length / (3 * height * width);
            Shape shape = layout == Layout.NCHW ? new Shape(n, 3, height, width) : new Shape(n, height, width, 3);
            NDArray array = ctx.getNDManager().create(batch, shape);
            array.setName(input);
            ctx.setAttachment("records", n);
            return new NDList(array);
        }

        @Override
        public List<List<Object>> processOutput(TranslatorContext ctx, NDList list) {
            long start = System.nanoTime();
            int n = (Integer) ctx.getAttachment("records");
            List<List<Object>> out = ImageOutputs.apply(task, list, n, labels, topK);
            postprocessNanos = System.nanoTime() - start;
            return new ArrayList<>(out);
        }
    }
}
