package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a grid on a {@link Target}: for each worker count, loads the function once and measures every
 * point of the grid on those instances; for {@code --rate auto}, searches each combination's rate
 * instead. Then chooses (see {@link Choice}). A point that times out ({@link PointResult#timedOut})
 * ends the sweep: it is kept among the points, and no more run. A stop request ({@link Interrupted})
 * ends it too: the point in flight is dropped, those before it are kept.
 */
public final class Sweep {

    /**
     * How to sweep. Immutable.
     *
     * @param slo the latency budget, or null for none
     * @param poisson for rates: exponential gaps between arrivals
     * @param searchSteps the most points one rate search measures
     */
    public record Config(Grid grid, PointMeter.Plan plan, Slo slo, Objective objective, boolean poisson,
            int searchSteps) {
        public Config {
            java.util.Objects.requireNonNull(grid);
            java.util.Objects.requireNonNull(plan);
            java.util.Objects.requireNonNull(objective);
            if (grid.searchesRate() && slo == null) {
                throw new IllegalArgumentException("--rate auto searches for the largest rate that meets --slo: "
                        + "give one, e.g. --slo p99=200ms");
            }
        }
    }

    /** Told of the sweep's progress, on the sweep's thread. */
    public interface Progress {
        void loaded(int workers, long loadNanos);

        void starting(int index, int total, Setting setting);

        void finished(int index, int total, PointResult result);

        Progress NONE = new Progress() {
            @Override
            public void loaded(int workers, long loadNanos) {}

            @Override
            public void starting(int index, int total, Setting setting) {}

            @Override
            public void finished(int index, int total, PointResult result) {}
        };
    }

    /** The rate search of one (workers, batch size, delay). */
    public record Search(Setting setting, PointResult capacityProbe, RateSearch.Outcome outcome) {
        /** The point of this search that timed out (the probe or the last step), or null. */
        public PointResult timedOut() {
            return capacityProbe.timedOut() ? capacityProbe : outcome.timedOut();
        }
    }

    /**
     * What a sweep found. Immutable.
     *
     * @param points the points measured (for a rate search, the best point of each search)
     * @param loadNanos load time by worker count
     * @param chosen the best point under the constraints, or null when none meets them
     * @param timedOut the point that timed out and ended the sweep (the last of {@code points}), or null
     */
    public record Result(List<PointResult> points, Map<Integer, Long> loadNanos, List<Search> searches,
            PointResult chosen, List<PointResult> paretoFront, PointResult timedOut) {
        public Result {
            points = List.copyOf(points);
            loadNanos = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loadNanos));
            searches = List.copyOf(searches);
            paretoFront = List.copyOf(paretoFront);
        }

        /** A sweep that ran to its end. */
        public Result(List<PointResult> points, Map<Integer, Long> loadNanos, List<Search> searches,
                PointResult chosen, List<PointResult> paretoFront) {
            this(points, loadNanos, searches, chosen, paretoFront, null);
        }
    }

    private Sweep() {}

    /**
     * Thrown by {@link Target.Workers#run} when the sweep was asked to stop (Ctrl-C, SIGTERM): the point
     * in flight is not measured to its end, so it is dropped; the sweep ends with the points before it.
     */
    public static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;

        public Interrupted() {
            super("the sweep was asked to stop", null, false, false);
        }
    }

    public static Result run(Target target, Config config, Progress progress) throws Exception {
        Grid grid = config.grid();
        List<PointResult> points = new ArrayList<>();
        Map<Integer, Long> loads = new LinkedHashMap<>();
        List<Search> searches = new ArrayList<>();
        int total = grid.size();
        int index = 0;
        PointResult timedOut = null;
        for (int w : grid.workers()) {
            if (timedOut != null) {
                break;
            }
            try (Target.Workers workers = target.load(w)) {
                loads.put(w, workers.loadNanos());
                progress.loaded(w, workers.loadNanos());
                for (Setting s : grid.settings(w, new Load.Clients(1))) {
                    index++;
                    if (grid.searchesRate()) {
                        Search search = search(workers, s, config, index, total, progress);
                        searches.add(search);
                        if (search.outcome().best() != null) {
                            points.add(search.outcome().best());
                        }
                        timedOut = search.timedOut();
                    } else {
                        progress.starting(index, total, s);
                        PointResult r = workers.run(s, config.plan());
                        progress.finished(index, total, r);
                        timedOut = r.timedOut() ? r : null;
                        if (timedOut == null) {
                            points.add(r);
                        }
                    }
                    if (timedOut != null) {
                        points.add(timedOut);
                        break;
                    }
                }
            } catch (Interrupted e) {
                break; // the points measured before the stop are kept, and chosen from
            }
        }
        PointResult chosen = Choice.best(points, config.slo(), config.objective()).orElse(null);
        return new Result(points, loads, searches, chosen, Choice.paretoFront(points), timedOut);
    }

    /**
     * One rate search: a closed-loop point with enough clients to fill every worker's batches twice
     * over estimates the capacity, then {@link RateSearch} brackets the largest passing rate.
     */
    private static Search search(Target.Workers workers, Setting s, Config config, int index, int total,
            Progress progress) throws Exception {
        Setting probeSetting = s.withLoad(new Load.Clients(Math.max(2, 2 * s.maxBatchSize() * s.workers())));
        progress.starting(index, total, probeSetting);
        PointResult probe = workers.run(probeSetting, config.plan());
        progress.finished(index, total, probe);
        if (probe.timedOut()) {
            return new Search(s, probe, new RateSearch.Outcome(null, List.of(), RateSearch.TIMED_OUT));
        }
        double capacity = Math.max(1e-3, probe.throughputPerSecond());
        RateSearch.Outcome outcome = RateSearch.search(rate -> {
            Setting at = s.withLoad(new Load.Rate(rate, config.poisson()));
            progress.starting(index, total, at);
            PointResult r = workers.run(at, config.plan());
            progress.finished(index, total, r);
            return r;
        }, config.slo(), capacity, config.searchSteps());
        return new Search(s, probe, outcome);
    }
}
