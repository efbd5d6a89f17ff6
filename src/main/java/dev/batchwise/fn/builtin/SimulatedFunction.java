package dev.batchwise.fn.builtin;

import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Signature;
import java.util.List;

/**
 * A built-in function that computes something cheap and spends a {@link SimulatedCost} per call
 * first, set by its {@code delay} and {@code per-item} arguments (it takes no others).
 */
abstract class SimulatedFunction implements BatchFunctionProvider {

    private final String name;
    private final Signature signature;
    private final String summary;

    /** @param summary the description's first part, before the arguments it takes */
    SimulatedFunction(String name, Signature signature, String summary) {
        this.name = name;
        this.signature = signature;
        this.summary = summary;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return summary + "; args: delay=DURATION per call, per-item=DURATION per record";
    }

    @Override
    public final BatchFunctionFactory configure(FnArgs args) {
        SimulatedCost cost = SimulatedCost.from(args.requireOnly(SimulatedCost.ARGS));
        return BatchFunctionFactory.of(name, signature, () -> inputs -> {
            cost.spend(inputs.get(0).size());
            return compute(inputs);
        });
    }

    /** The outputs for a batch: {@code inputs} and the result hold one list per parameter or output. */
    abstract List<? extends List<?>> compute(List<List<Object>> inputs);
}
