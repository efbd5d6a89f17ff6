package dev.batchwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a batch's model output into one value per record per output, in plain Java (so an ONNX run
 * needs no second engine for the arithmetic).
 */
final class Postprocess {

    private Postprocess() {}

    /** The outputs a task writes, in order. */
    static List<String> outputNames(Task task, int topK, Chunking chunking) {
        return switch (task) {
            case EMBED -> List.of(chunking.enabled() && chunking.output() == Chunking.Output.EACH ? "chunks" : "embedding");
            case CLASSIFY -> topK > 1 ? List.of("label", "score", "top_k") : List.of("label", "score");
            case RAW -> List.of("output");
            case SCORE -> List.of("score");
        };
    }

    /**
     * How a batch's output becomes each record's values.
     *
     * @param labels class names by index, or {@code null} for {@code LABEL_i}
     */
    record Head(Task task, List<String> labels, int topK, EmbedSettings embed, ScoreHead score) {}

    /** @return one list per output of the task, each as long as the batch (for EMBED, one vector per model input) */
    static List<List<Object>> apply(Head head, NDList out, Packed batch) {
        return switch (head.task()) {
            case EMBED -> List.of(Pooler.embed(Pooler.pick(out, head.embed().pooling()), batch, head.embed()));
            case CLASSIFY -> classify(pick(out, "logits"), batch, head.labels(), head.topK());
            case RAW -> List.of(raw(out.get(0), batch));
            case SCORE -> List.of(head.score().scores(pick(out, "logits"), batch));
        };
    }

    private static NDArray pick(NDList out, String preferred) {
        NDArray named = out.get(preferred);
        return named != null ? named : out.get(0);
    }

    static List<List<Object>> classify(NDArray logits, Packed batch, List<String> labels, int topK) {
        return classify(logits, batch.batch, labels, topK);
    }

    /** Softmax over each record's logits, then its best label and score, and its top k if more than one. */
    static List<List<Object>> classify(NDArray logits, int records, List<String> labels, int topK) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2) {
            throw new NotLogitsException(shape);
        }
        int classes = (int) shape.get(1);
        if (labels != null && labels.size() != classes) {
            throw new IllegalStateException("config.json names " + labels.size() + " labels but the model returns "
                    + classes + " classes");
        }
        float[] data = floats(logits);
        List<Object> best = new ArrayList<>(records);
        List<Object> bestScore = new ArrayList<>(records);
        List<Object> ranked = new ArrayList<>(records);
        for (int b = 0; b < records; b++) {
            double[] p = softmax(data, b * classes, classes);
            Integer[] order = new Integer[classes];
            for (int c = 0; c < classes; c++) {
                order[c] = c;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
            best.add(label(labels, order[0]));
            bestScore.add(p[order[0]]);
            List<Map<String, Object>> top = new ArrayList<>();
            for (int k = 0; k < Math.min(topK, classes); k++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("label", label(labels, order[k]));
                entry.put("score", p[order[k]]);
                top.add(entry);
            }
            ranked.add(top);
        }
        return topK > 1 ? List.of(best, bestScore, ranked) : List.of(best, bestScore);
    }

    private static String label(List<String> labels, int index) {
        return labels != null ? labels.get(index) : "LABEL_" + index;
    }

    private static double[] softmax(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(logits[offset + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** The output for each record as nested lists; a per-token axis is cut to the record's tokens. */
    static List<Object> raw(NDArray out, Packed batch) {
        return raw(out, batch.batch, batch.tokens, batch.lengths);
    }

    /**
     * The output for each of {@code records} as nested lists.
     *
     * @param tokens the padded length of a batch of text, whose per-token axis is cut to each record's
     *     {@code lengths}; 0 for records without tokens (images)
     */
    static List<Object> raw(NDArray out, int records, int tokens, int[] lengths) {
        Shape shape = out.getShape();
        if (shape.dimension() == 0 || shape.get(0) != records) {
            throw new IllegalStateException("raw needs an output with the batch as its first axis; the model returned "
                    + shape);
        }
        double[] data = doubles(out);
        long perRecord = shape.size() / records;
        boolean perToken = tokens > 0 && shape.dimension() >= 2 && shape.get(1) == tokens;
        long[] recordShape = java.util.Arrays.copyOfRange(shape.getShape(), 1, shape.dimension());
        long[] strides = new long[recordShape.length];
        long stride = 1;
        for (int i = recordShape.length - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= recordShape[i];
        }
        List<Object> result = new ArrayList<>(records);
        for (int b = 0; b < records; b++) {
            long[] dims = recordShape.clone();
            if (perToken) {
                dims[0] = lengths[b];
            }
            result.add(nest(data, b * perRecord, strides, dims, 0));
        }
        return result;
    }

    /** The values of {@code dims[level..]} starting at {@code offset}, as nested lists. */
    private static Object nest(double[] data, long offset, long[] strides, long[] dims, int level) {
        if (level == dims.length) {
            return data[(int) offset];
        }
        List<Object> list = new ArrayList<>((int) dims[level]);
        for (long i = 0; i < dims[level]; i++) {
            list.add(nest(data, offset + i * strides[level], strides, dims, level + 1));
        }
        return list;
    }

    static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        double[] d = doubles(a);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static double[] doubles(NDArray a) {
        switch (a.getDataType()) {
            case FLOAT64:
                return a.toDoubleArray();
            case FLOAT32: {
                float[] f = a.toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return d;
            }
            default: {
                Number[] n = a.toArray();
                double[] d = new double[n.length];
                for (int i = 0; i < n.length; i++) {
                    d[i] = n[i].doubleValue();
                }
                return d;
            }
        }
    }
}
