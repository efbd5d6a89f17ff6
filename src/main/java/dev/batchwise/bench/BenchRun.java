package dev.batchwise.bench;

import java.util.List;

/**
 * A finished sweep with what describes it: the command line, the machine, the function, the plan
 * and the choice's rules. What the outputs (table, CSV, JSON, HTML) render. Immutable.
 *
 * @param command the command line as given, {@code batchwise bench ...}
 * @param runArgs the options and inputs besides the grid, as {@code batchwise run} takes them
 * @param slo the latency budget, or null
 * @param queueCapacity the queue's capacity in records, for the servers' equivalents
 * @param maxBatchTokens {@code --max-batch-tokens}, 0 for none: for generation, the prompt tokens one
 *     step's prefill may take, for the servers' equivalents
 */
public record BenchRun(List<String> command, List<String> runArgs, Machine machine, String function,
        PointMeter.Plan plan, Slo slo, Objective objective, int queueCapacity, Sweep.Result result,
        long maxBatchTokens) {

    public BenchRun {
        command = List.copyOf(command);
        runArgs = List.copyOf(runArgs);
    }

    /** A sweep with no token budget per batch. */
    public BenchRun(List<String> command, List<String> runArgs, Machine machine, String function,
            PointMeter.Plan plan, Slo slo, Objective objective, int queueCapacity, Sweep.Result result) {
        this(command, runArgs, machine, function, plan, slo, objective, queueCapacity, result, 0);
    }

    /** Whether {@code p} is on the Pareto front of throughput against p99. */
    public boolean onFront(PointResult p) {
        return result.paretoFront().contains(p);
    }

    /** Whether the sweep was of an offline job (all records offered at once), not of a server under load. */
    public boolean offline() {
        return result.points().stream().anyMatch(p -> p.setting().offline());
    }

    /** What the sweep answers, for its outputs: settings for an offline job, or for a server under load. */
    public String kindLabel() {
        return offline() ? "settings for an offline job (all records offered at once, as run offers a file)"
                : "settings for a server under load (" + (slo == null ? "no latency budget" : slo.label()) + ")";
    }

    /** Whether the sweep's points generate: their throughput counts output tokens. */
    public boolean generates() {
        return result.points().stream().anyMatch(p -> p.generation() != null);
    }

    /** The unit of the throughput the objective counts: {@code records/s}, or {@code output tokens/s}. */
    public String rateUnit() {
        return generates() ? "output tokens/s" : "records/s";
    }

    public boolean isChosen(PointResult p) {
        return p.equals(result.chosen());
    }
}
