package dev.batchwise.fn.builtin;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.util.List;

/**
 * Returns its input: {@code text -> text}. With no cost it measures the pipeline itself (read, queue,
 * batch, reorder, write); with {@code delay}/{@code per-item} it stands in for a model of that cost.
 */
public final class Echo extends SimulatedFunction {

    public static final String NAME = "echo";

    static final Signature SIGNATURE = new Signature(
            List.of(new Param("text", ParamType.TEXT, "any text")), List.of("text"));

    public Echo() {
        super(NAME, SIGNATURE, "text -> text: returns its input, to measure the pipeline or simulate a model");
    }

    @Override
    List<? extends List<?>> compute(List<List<Object>> inputs) {
        return inputs;
    }
}
