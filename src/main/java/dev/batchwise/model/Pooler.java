package dev.batchwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/** A batch's model output as one vector per record: pooled as {@link EmbedSettings} say, then normalised or not. */
final class Pooler {

    private Pooler() {}

    /** The output to pool: the per-record vector a model names {@code sentence_embedding} for NONE, else its token vectors. */
    static NDArray pick(NDList out, Pooling pooling) {
        NDArray named = out.get(pooling == Pooling.NONE ? "sentence_embedding" : "last_hidden_state");
        return named != null ? named : out.get(0);
    }

    static List<Object> embed(NDArray hidden, Packed batch, EmbedSettings settings) {
        Shape shape = hidden.getShape();
        float[] data = Postprocess.floats(hidden);
        List<Object> result = new ArrayList<>(batch.batch);
        boolean perRecord = shape.dimension() == 2;
        if (perRecord && settings.poolingChosen() && settings.pooling() != Pooling.NONE) {
            throw new IllegalStateException(settings.pooling().label() + " pooling needs per-token vectors [batch, tokens, "
                    + "dims]; the model returns one vector per record " + shape + " (pooling none takes it as it is)");
        }
        if (!perRecord && settings.pooling() == Pooling.NONE) {
            throw new IllegalStateException("pooling none takes the model's own vector per record [batch, dims]; the "
                    + "model returns " + shape + " (choose mean, cls or last pooling)");
        }
        if (perRecord) {
            int dims = (int) shape.get(1);
            for (int b = 0; b < batch.batch; b++) {
                float[] v = new float[dims];
                System.arraycopy(data, b * dims, v, 0, dims);
                result.add(settings.normalize() ? normalize(v) : v);
            }
            return result;
        }
        if (shape.dimension() != 3 || shape.get(1) != batch.tokens) {
            throw new IllegalStateException("embed needs per-token vectors [batch, tokens, dims] or one vector per "
                    + "record [batch, dims]; the model returned " + shape);
        }
        int tokens = batch.tokens;
        int dims = (int) shape.get(2);
        for (int b = 0; b < batch.batch; b++) {
            float[] v = new float[dims];
            int n = batch.lengths[b];
            int base = b * tokens * dims;
            switch (settings.pooling()) {
                case CLS -> System.arraycopy(data, base, v, 0, dims);
                case LAST -> System.arraycopy(data, base + (n - 1) * dims, v, 0, dims);
                default -> {
                    for (int t = 0; t < n; t++) {
                        int row = base + t * dims;
                        for (int d = 0; d < dims; d++) {
                            v[d] += data[row + d];
                        }
                    }
                    for (int d = 0; d < dims; d++) {
                        v[d] /= n;
                    }
                }
            }
            result.add(settings.normalize() ? normalize(v) : v);
        }
        return result;
    }

    /** Scales {@code v} to unit length in place (a zero vector stays zero) and returns it. */
    static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.max(Math.sqrt(sum), 1e-12);
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (v[d] / norm);
        }
        return v;
    }

    /** The mean of a chunked record's piece vectors, then normalised when {@code normalize}. */
    static float[] mean(List<float[]> pieces, boolean normalize) {
        float[] first = pieces.get(0);
        double[] sum = new double[first.length];
        for (float[] p : pieces) {
            for (int d = 0; d < sum.length; d++) {
                sum[d] += p[d];
            }
        }
        float[] v = new float[sum.length];
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (sum[d] / pieces.size());
        }
        return normalize ? normalize(v) : v;
    }
}
