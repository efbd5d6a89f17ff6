package dev.batchwise.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cross-encoder's logits as one relevance score per pair: the sigmoid of a single logit, or the
 * softmax probability of the positive class of two or more (class 1 of two; of more, the class
 * {@code id2label} names entailment, positive or relevant), as sentence-transformers' CrossEncoder
 * does. A config.json whose {@code sentence_transformers.activation_fn} is {@code Identity} gets
 * the raw logit of a single-logit model instead.
 */
final class ScoreHead {

    private final boolean identity;
    private final List<String> labels;

    private ScoreHead(boolean identity, List<String> labels) {
        this.identity = identity;
        this.labels = labels;
    }

    static ScoreHead of(JsonNode config, List<String> labels) {
        String activation = config == null ? "" : config.path("sentence_transformers").path("activation_fn").asText("");
        return new ScoreHead(activation.endsWith(".Identity"), labels);
    }

    List<Object> scores(NDArray logits, Packed batch) {
        Shape shape = logits.getShape();
        if (shape.dimension() == 1 && shape.get(0) == batch.batch) {
            shape = new Shape(batch.batch, 1);
        }
        if (shape.dimension() != 2 || shape.get(0) != batch.batch) {
            throw new IllegalStateException("score needs logits [batch, classes]; the model returned " + shape);
        }
        int classes = (int) shape.get(1);
        int positive = classes == 1 ? 0 : positiveClass(classes);
        float[] data = Postprocess.floats(logits);
        List<Object> out = new ArrayList<>(batch.batch);
        for (int b = 0; b < batch.batch; b++) {
            int row = b * classes;
            if (classes == 1) {
                double x = data[row];
                out.add(identity ? x : 1 / (1 + Math.exp(-x)));
            } else {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, data[row + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(data[row + c] - max);
                }
                out.add(Math.exp(data[row + positive] - max) / sum);
            }
        }
        return out;
    }

    private int positiveClass(int classes) {
        if (classes == 2) {
            return 1;
        }
        if (labels != null) {
            for (int c = 0; c < labels.size(); c++) {
                String l = labels.get(c).toLowerCase(Locale.ROOT);
                if (l.contains("entail") || l.equals("positive") || l.equals("relevant")) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("the model returns " + classes + " classes and config.json's id2label names "
                + "none of them entailment, positive or relevant; a score needs one logit, two classes, or a named "
                + "positive class");
    }
}
