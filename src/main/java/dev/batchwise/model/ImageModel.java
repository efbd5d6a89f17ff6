package dev.batchwise.model;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.image.ImageConfigException;
import dev.batchwise.image.ImageDecoder;
import dev.batchwise.image.ImageException;
import dev.batchwise.image.ImagePreprocessor;
import dev.batchwise.image.Layout;
import dev.batchwise.image.PreprocessorConfig;
import dev.batchwise.image.RgbImage;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * An image model as a batch function, {@code image -> label, score | embedding | output}: the image
 * input is a file's path. One preprocessor shared by the run, one loaded model and DJL predictor per
 * worker.
 *
 * <p>Each record's image is decoded and preprocessed as it is read ({@link #prepare}), on the intake
 * thread, so that this work overlaps with the workers' model calls; a record whose image cannot be
 * used fails alone there, with a message naming the file. Every image comes out as the same number of
 * values, so a batch stacks them into one tensor.
 *
 * <p>Memory: each prepared record holds {@link #preparedBytes()} bytes until its batch runs; the run
 * bounds how many wait. Decoding one image takes what {@link DecodeLimits} says.
 */
public final class ImageModel implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    static final String INPUT = "image";

    private final ImageModelFiles files;
    private final ModelOptions options;
    private final List<String> labels;
    private final ImagePreprocessor preprocessor;
    private final OnnxInputs.Input input;
    private final Layout layout;
    private final Signature signature;

    private ImageModel(ImageModelFiles files, ModelOptions options, List<String> labels,
            ImagePreprocessor preprocessor, OnnxInputs.Input input, Layout layout) {
        this.input = input;
        this.layout = layout;
        this.files = files;
        this.options = options;
        this.labels = labels;
        this.preprocessor = preprocessor;
        this.signature = new Signature(List.of(new Param(INPUT, ParamType.TEXT,
                "the path of an image file (JPEG, PNG, GIF, BMP, WebP or TIFF)")),
                Postprocess.outputNames(options.task(), options.topK(), Chunking.OFF));
    }

    /**
     * Opens an image model by a bundled model's name or a directory's path: the run layer's one way in.
     * Tell an image model from a text one first with {@link ModelKind#of}.
     *
     * @throws IllegalArgumentException when {@code spec} names nothing (a usage mistake)
     * @throws ModelLoadException when the files cannot be used
     */
    public static ImageModel open(String spec, ModelOptions options, DecodeLimits limits) throws ModelLoadException {
        return open(ImageModelFiles.resolve(spec, options.cache()), options, limits);
    }

    /**
     * Sets up DJL, reads the model's preprocessing and labels, and checks the model's input against
     * them (from the model file, without loading it). The model itself loads in {@link #create()},
     * once per worker.
     */
    public static ImageModel open(ImageModelFiles files, ModelOptions options, DecodeLimits limits)
            throws ModelLoadException {
        if (options.maxLength() != 0) {
            throw new IllegalArgumentException("a maximum length in tokens applies to text models; '" + files.name()
                    + "' is an image model");
        }
        if (options.task() == Task.SCORE) {
            throw new IllegalArgumentException("the score task scores text pairs with a cross-encoder; '" + files.name()
                    + "' is an image model: classify, embed or raw");
        }
        prepareEngine(options);
        List<String> labels = files.labels();
        ImagePreprocessor preprocessor;
        try {
            PreprocessorConfig config = PreprocessorConfig.read(files.preprocessorConfig());
            preprocessor = new ImagePreprocessor(config, Layout.NHWC, new ImageDecoder(limits));
        } catch (ImageConfigException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        List<OnnxInputs.Input> inputs;
        try {
            inputs = OnnxInputs.read(files.model());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + files.model() + " as an ONNX model: " + e.getMessage(), e);
        }
        if (inputs.size() != 1) {
            throw new ModelLoadException("model " + files.model() + " takes " + inputs.size() + " inputs ("
                    + String.join(", ", inputs.stream().map(OnnxInputs.Input::name).toList()) + "); an image model "
                    + "takes one, the images [batch, 3, height, width] or [batch, height, width, 3]");
        }
        Layout layout = ImageModelFunction.layout(files, inputs.get(0), preprocessor.height(), preprocessor.width());
        return new ImageModel(files, options, labels, preprocessor, inputs.get(0), layout);
    }

    private static void prepareEngine(ModelOptions options) throws ModelLoadException {
        try {
            DjlEnvironment.prepare(options.cache(), true, options.threadsPerWorker());
        } catch (IOException e) {
            throw new ModelLoadException("cannot prepare ONNX Runtime in " + options.cache().root() + ": "
                    + e.getMessage(), e);
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

    public ImageModelFiles files() {
        return files;
    }

    public Task task() {
        return options.task();
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** Where the model's input puts the channels, as its graph declares. */
    public Layout layout() {
        return layout;
    }

    OnnxInputs.Input input() {
        return input;
    }

    /** The bytes one prepared record holds while it waits for its batch: its input values, as floats. */
    @Override
    public long preparedBytes() {
        return 4L * preprocessor.valuesPerImage();
    }

    /**
     * Decodes and preprocesses one record's image in place: {@code args[0]}, the file's path, becomes
     * the prepared values. Every image weighs 1.
     *
     * @throws ImageException naming the file, when its image cannot be used
     */
    @Override
    public int prepare(Object[] args) {
        if (!(args[0] instanceof PreparedImage)) {
            args[0] = prepareImage(args[0]);
        }
        return 1;
    }

    PreparedImage prepareImage(Object arg) {
        String name = String.valueOf(arg);
        if (name.isBlank()) {
            throw new IllegalArgumentException("the image path is empty");
        }
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw new ImageException(name, "is not a path this system can open (" + e.getReason() + ")");
        }
        long start = System.nanoTime();
        RgbImage image = preprocessor.decode(path, name);
        long decoded = System.nanoTime();
        float[] values = preprocessor.apply(image);
        return new PreparedImage(values, decoded - start, System.nanoTime() - decoded);
    }

    /** Loads the model for one worker, and checks it runs on a batch of one image. */
    @Override
    public BatchFunction create() throws ModelLoadException {
        return ImageModelFunction.load(this, files, options, labels);
    }

    @Override
    public void close() {
        // nothing shared to release: each worker's function closes its own model
    }
}
