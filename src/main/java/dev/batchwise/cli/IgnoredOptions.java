package dev.batchwise.cli;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunSpec;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ParseResult;

/**
 * Options given on the command line that the chosen mode does not use: a warning each, so that a
 * user who typed {@code --top-k 5} for a function or {@code --seed 7} for a burst learns that it
 * changed nothing, instead of trusting a setting that was never applied.
 */
final class IgnoredOptions {

    /** The options only a model uses. */
    private static final List<String> MODEL_ONLY = List.of("--task", "--top-k", "--max-length", "--model-threads",
            "--cache-dir");

    /** The options only {@code --task generate} uses. */
    private static final List<String> GENERATION_ONLY = List.of("--max-tokens", "--temperature", "--top-p", "--stop",
            "--ignore-eos", "--batching", "--kv-cache-mb", "--token-ids");

    private IgnoredOptions() {}

    /** What the run decided, that decides which options it uses. */
    record Mode(boolean function, String task, boolean poisson, boolean lengthGrouping) {
        /** What {@code run} decided. */
        static Mode of(RunSpec run) {
            boolean model = run.function().isModel();
            Boolean group = run.batching().groupByLength();
            return new Mode(!model, model ? ((FunctionSpec.Model) run.function()).options().task().label() : "",
                    run.arrival() instanceof ArrivalSpec.OpenLoop o && o.poisson(),
                    group != null ? group : model && run.arrival() instanceof ArrivalSpec.Burst);
        }
    }

    /** One warning per option typed that {@code mode} ignores, naming what would use it. */
    static List<String> of(ParseResult typed, Mode mode) {
        List<String> warnings = new ArrayList<>();
        if (mode.function()) {
            for (String option : MODEL_ONLY) {
                if (typed.hasMatchedOption(option)) {
                    warnings.add(option + " is ignored: it is a model option, and --fn runs a function");
                }
            }
        } else {
            if (typed.hasMatchedOption("--top-k") && !"classify".equals(mode.task())
                    && !"generate".equals(mode.task())) {
                warnings.add("--top-k is ignored: it applies to --task classify and generate, and this run's task is "
                        + mode.task());
            }
            if (typed.hasMatchedOption("--plugin")) {
                warnings.add("--plugin is ignored: its functions run with --fn NAME, and this run runs a model");
            }
        }
        if (!"generate".equals(mode.task())) {
            for (String option : GENERATION_ONLY) {
                if (typed.hasMatchedOption(option)) {
                    warnings.add(option + " is ignored: it applies to --task generate");
                }
            }
        }
        if (typed.hasMatchedOption("--seed") && !mode.poisson() && !"generate".equals(mode.task())) {
            warnings.add("--seed is ignored: it seeds Poisson arrivals (--rate R --arrival poisson) and generate's "
                    + "sampling");
        }
        if (typed.hasMatchedOption("--lookahead") && !mode.lengthGrouping()) {
            warnings.add("--lookahead is ignored: it applies to length grouping, which is off in this run"
                    + " (--group-by-length turns it on)");
        }
        return warnings;
    }
}
