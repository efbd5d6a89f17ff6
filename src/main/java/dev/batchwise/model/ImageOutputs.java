package dev.batchwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** Turns an image model's output for a batch into one value per record per output. */
final class ImageOutputs {

    /** Outputs embed takes, in order of preference: a projection's, then the pooler's. */
    static final List<String> POOLED = List.of("image_embeds", "pooler_output");

    private ImageOutputs() {}

    static List<List<Object>> apply(Task task, NDList out, int records, List<String> labels, int topK) {
        return switch (task) {
            case CLASSIFY -> Postprocess.classify(pick(out, "logits"), records, labels, topK);
            case EMBED -> List.of(embed(pooled(out), records));
            case RAW -> List.of(Postprocess.raw(out.get(0), records, 0, null));
            case SCORE -> throw new IllegalStateException("an image model does not score text pairs"); // refused at open
            case GENERATE -> throw new IllegalStateException("an image model does not generate"); // refused at open
        };
    }

    private static NDArray pick(NDList out, String preferred) {
        NDArray named = out.get(preferred);
        return named != null ? named : out.get(0);
    }

    /** The pooled output: image_embeds, else pooler_output, else the only output of shape [batch, dims]. */
    private static NDArray pooled(NDList out) {
        for (String name : POOLED) {
            NDArray a = out.get(name);
            if (a != null) {
                return a;
            }
        }
        NDArray only = null;
        for (NDArray a : out) {
            if (a.getShape().dimension() == 2) { // the only one of that shape, else no guess
                if (only != null) {
                    return null;
                }
                only = a;
            }
        }
        return only;
    }

    private static List<Object> embed(NDArray pooled, int records) {
        if (pooled == null) {
            throw new IllegalStateException("embed needs a pooled output, image_embeds or pooler_output, "
                    + "[batch, dims]; the model returns none");
        }
        Shape shape = pooled.getShape();
        long[] dimsOf = shape.getShape();
        boolean trailingOnes = true; // a pooled feature map, [batch, dims, 1, 1], as Hugging Face's ResNet gives
        for (int i = 2; i < dimsOf.length; i++) {
            trailingOnes &= dimsOf[i] == 1;
        }
        if (shape.dimension() < 2 || !trailingOnes || shape.get(0) != records) {
            throw new IllegalStateException("embed needs a pooled output [batch, dims]; the model returned " + shape);
        }
        int dims = (int) shape.get(1);
        float[] data = Postprocess.floats(pooled);
        List<Object> result = new ArrayList<>(records);
        for (int b = 0; b < records; b++) {
            float[] v = new float[dims];
            System.arraycopy(data, b * dims, v, 0, dims);
            result.add(Pooler.normalize(v));
        }
        return result;
    }
}
