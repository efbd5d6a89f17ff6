package dev.batchwise.fn.builtin;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.util.List;

/**
 * Returns its input: {@code text -> text}. With no cost it measures the pipeline itself (read, queue,
 * batch, reorder, write); with {@code delay}/{@code per-item} it stands in for a model of that cost.
 */
public final class Echo implements BatchFunctionProvider {

    public static final String NAME = "echo";

    static final Signature SIGNATURE = new Signature(
            List.of(new Param("text", ParamType.TEXT, "any text")), List.of("text"));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "text -> text: returns its input, to measure the pipeline or simulate a model; "
                + "args: delay=DURATION per call, per-item=DURATION per record";
    }

    @Override
    public BatchFunctionFactory configure(FnArgs args) {
        SimulatedCost cost = SimulatedCost.from(args.requireOnly(SimulatedCost.ARGS));
        return BatchFunctionFactory.of(NAME, SIGNATURE, () -> inputs -> {
            cost.spend(inputs.get(0).size());
            return inputs;
        });
    }
}
