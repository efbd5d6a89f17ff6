package dev.batchwise.model;

import ai.djl.ndarray.types.Shape;

/**
 * A model output that {@code classify} cannot take: not logits {@code [batch, classes]}, such as an
 * embedding model's vector per token. Thrown from post-processing; a model's load check turns it into
 * a usage error that says what to do instead.
 */
final class NotLogitsException extends IllegalStateException {

    private final transient Shape shape;

    NotLogitsException(Shape shape) {
        super("classify needs logits [batch, classes]; the model returned " + shape);
        this.shape = shape;
    }

    /** The shape the model returned. */
    Shape shape() {
        return shape;
    }
}
