package dev.batchwise.fn.builtin;

import dev.batchwise.fn.FnArgs;
import java.time.Duration;
import java.util.Set;

/**
 * The cost a built-in function pretends to have, like the {@code time.sleep(5)} in Gradio's batch
 * example: {@code delay} per call plus {@code per-item} per record. Sleeping here is the workload
 * being simulated: it stands in for a model's compute.
 */
record SimulatedCost(Duration perCall, Duration perItem) {

    static final Set<String> ARGS = Set.of("delay", "per-item");

    static SimulatedCost from(FnArgs args) {
        return new SimulatedCost(args.duration("delay", Duration.ZERO), args.duration("per-item", Duration.ZERO));
    }

    void spend(int batchSize) throws InterruptedException {
        long nanos = perCall.toNanos() + perItem.toNanos() * batchSize;
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }
}
