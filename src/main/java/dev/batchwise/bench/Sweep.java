package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a grid on a {@link Target}: for each pool (worker count and model threads), loads the function
 * and measures every point of the grid on those instances; for {@code --rate auto}, searches each
 * combination's rate instead. Then chooses (see {@link Choice}). A point that times out
 * ({@link PointResult#timedOut}) ends the sweep: it is kept among the points, and no more run.
 *
 * <p>Points are measured in rounds, so that load that drifts while the sweep runs (another job
 * starting, a machine warming up) hits every setting alike: each of the first {@code minRounds}
 * rounds visits every point for {@code visitWindows} windows, odd rounds in the reverse order of
 * even ones (pools reloaded each round); later rounds visit only the points not yet stable, until
 * they are or have used the plan's {@code maxWindows}. A point's result pools its visits
 * ({@link PointResult#pool}). One round of {@code maxWindows} windows is the single visit of old. A stop
 * request ({@link Interrupted}) ends the sweep too: the point in flight is dropped, those before it are kept.
 */
public final class Sweep {

    /**
     * How to sweep. Immutable.
     *
     * @param slo the latency budget, or null for none
     * @param poisson for rates: exponential gaps between arrivals
     * @param searchSteps the most points one rate search measures
     * @param minRounds how many rounds visit every point (1 or more)
     * @param visitWindows the most windows of one visit; the plan's {@code maxWindows} is the point's
     *     total, so rounds past the first {@code minRounds} add windows until it is used
     */
    public record Config(Grid grid, PointMeter.Plan plan, Slo slo, Objective objective, boolean poisson,
            int searchSteps, int minRounds, int visitWindows) {

        /** One round: each point measured once, for up to the plan's windows. */
        public Config(Grid grid, PointMeter.Plan plan, Slo slo, Objective objective, boolean poisson, int searchSteps) {
            this(grid, plan, slo, objective, poisson, searchSteps, 1, plan.maxWindows());
        }

        public Config {
            java.util.Objects.requireNonNull(grid);
            java.util.Objects.requireNonNull(plan);
            java.util.Objects.requireNonNull(objective);
            if (minRounds < 1 || visitWindows < 1 || (long) minRounds * visitWindows > plan.maxWindows()) {
                throw new IllegalArgumentException("rounds of " + visitWindows + " windows each must fit in a point's "
                        + plan.maxWindows() + " windows, not " + minRounds);
            }
            if (grid.offline() && slo != null) {
                throw new IllegalArgumentException("--slo is for a server under load; an offline job has no "
                        + "latency budget: drop --offline or --slo");
            }
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
     * @param loadNanos the first load of each worker count
     * @param chosen the best point under the constraints, or null when none meets them
     * @param timedOut the point that timed out and ended the sweep (the last of {@code points}), or null
     * @param pick how sure the choice is, or null when nothing is chosen
     */
    public record Result(List<PointResult> points, Map<Integer, Long> loadNanos, List<Search> searches,
            PointResult chosen, List<PointResult> paretoFront, PointResult timedOut, Choice.Pick pick) {
        public Result {
            points = List.copyOf(points);
            loadNanos = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loadNanos));
            searches = List.copyOf(searches);
            paretoFront = List.copyOf(paretoFront);
            if (pick != null && pick.point() != chosen) {
                throw new IllegalArgumentException("the pick is of another point than the chosen one");
            }
        }

        /** A sweep whose choice carries no statement of confidence beyond its point's stability. */
        public Result(List<PointResult> points, Map<Integer, Long> loadNanos, List<Search> searches,
                PointResult chosen, List<PointResult> paretoFront, PointResult timedOut) {
            this(points, loadNanos, searches, chosen, paretoFront, timedOut,
                    chosen == null ? null : new Choice.Pick(chosen, chosen.stable(), Double.NaN, null));
        }

        /** Whether a point was chosen and it is stable: the recommendation stands on a narrow interval. */
        public boolean confirmed() {
            return pick != null && pick.confirmed();
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
        if (config.grid().searchesRate()) {
            return searchRates(target, config, progress);
        }
        Grid grid = config.grid();
        boolean latencyCounts = !grid.offline();
        Map<Setting, List<PointResult>> visits = new LinkedHashMap<>();
        for (Grid.Pool pool : grid.pools()) {
            for (Setting s : grid.settings(pool, new Load.Clients(1))) {
                visits.put(s, new ArrayList<>());
            }
        }
        Map<Integer, Long> loads = new LinkedHashMap<>();
        PointResult timedOut = null;
        boolean stopped = false;
        int index = 0;
        int total = grid.size() * config.minRounds();
        for (int round = 0; timedOut == null && !stopped; round++) {
            boolean mandatory = round < config.minRounds();
            List<Grid.Pool> pools = new ArrayList<>(grid.pools());
            if (round % 2 == 1) {
                java.util.Collections.reverse(pools);
            }
            List<Setting> due = new ArrayList<>();
            for (Map.Entry<Setting, List<PointResult>> e : visits.entrySet()) {
                if (mandatory || needsMore(e.getValue(), config, latencyCounts)) {
                    due.add(e.getKey());
                }
            }
            if (due.isEmpty()) {
                break;
            }
            if (!mandatory) {
                total = index + due.size();
            }
            for (Grid.Pool pool : pools) {
                List<Setting> here = new ArrayList<>(due.stream().filter(s -> s.workers() == pool.workers()
                        && s.modelThreads() == pool.modelThreads()).toList());
                if (here.isEmpty() || timedOut != null || stopped) {
                    continue;
                }
                if (round % 2 == 1) {
                    java.util.Collections.reverse(here);
                }
                try (Target.Workers workers = target.load(pool)) {
                    loads.putIfAbsent(pool.workers(), workers.loadNanos());
                    progress.loaded(pool.workers(), workers.loadNanos());
                    for (Setting s : here) {
                        List<PointResult> before = visits.get(s);
                        List<Window> prior = mandatory ? List.of() : windows(before);
                        int left = config.plan().maxWindows() - before.stream().mapToInt(PointResult::windows).sum();
                        PointMeter.Plan plan = new PointMeter.Plan(config.plan().warmupNanos(),
                                config.plan().windowNanos(), Math.min(config.visitWindows(), left));
                        progress.starting(++index, total, s);
                        PointResult r = workers.run(s, plan, prior, latencyCounts);
                        if (r.timedOut()) {
                            timedOut = r;
                            progress.finished(index, total, r);
                            break;
                        }
                        before.add(r);
                        progress.finished(index, total, pooled(before, latencyCounts));
                    }
                } catch (Interrupted e) {
                    stopped = true; // the visit in flight is dropped; the visits before it are kept, and chosen from
                }
            }
        }
        List<PointResult> points = new ArrayList<>();
        for (Map.Entry<Setting, List<PointResult>> e : visits.entrySet()) {
            // a point that timed out on a later visit is that visit alone: its earlier figures are not chosen
            if (!e.getValue().isEmpty() && (timedOut == null || !e.getKey().equals(timedOut.setting()))) {
                points.add(pooled(e.getValue(), latencyCounts));
            }
        }
        if (timedOut != null) {
            points.add(timedOut);
        }
        Choice.Pick pick = Choice.pick(points, config.slo(), config.objective());
        return new Result(points, loads, List.of(), pick == null ? null : pick.point(), Choice.paretoFront(points),
                timedOut, pick);
    }

    /** Whether a point needs another visit: unstable, records measured, no failures, windows left. */
    private static boolean needsMore(List<PointResult> visits, Config config, boolean latencyCounts) {
        if (visits.isEmpty()) {
            return false; // a point the first rounds never reached (the sweep stopped): none now
        }
        PointResult p = pooled(visits, latencyCounts);
        int measured = visits.stream().mapToInt(PointResult::windows).sum();
        boolean progressed = visits.get(visits.size() - 1).windows() > 0;
        return !p.stable() && p.failed() == 0 && progressed && measured < config.plan().maxWindows();
    }

    private static List<Window> windows(List<PointResult> visits) {
        List<Window> out = new ArrayList<>();
        visits.forEach(v -> out.addAll(v.windowSeries()));
        return out;
    }

    /** A point's visits as one result: one visit as its meter judged it, more as their windows together are. */
    private static PointResult pooled(List<PointResult> visits, boolean latencyCounts) {
        boolean stable = visits.size() == 1 ? visits.get(0).stable()
                : Stability.stable(windows(visits), latencyCounts);
        return PointResult.pool(visits, stable);
    }

    /** {@code --rate auto}: one search per (pool, batch size, delay), in one round. */
    private static Result searchRates(Target target, Config config, Progress progress) throws Exception {
        Grid grid = config.grid();
        List<PointResult> points = new ArrayList<>();
        Map<Integer, Long> loads = new LinkedHashMap<>();
        List<Search> searches = new ArrayList<>();
        int total = grid.size();
        int index = 0;
        PointResult timedOut = null;
        for (Grid.Pool pool : grid.pools()) {
            if (timedOut != null) {
                break;
            }
            try (Target.Workers workers = target.load(pool)) {
                loads.putIfAbsent(pool.workers(), workers.loadNanos());
                progress.loaded(pool.workers(), workers.loadNanos());
                for (Setting s : grid.settings(pool, new Load.Clients(1))) {
                    index++;
                    Search search = search(workers, s, config, index, total, progress);
                    searches.add(search);
                    if (search.outcome().best() != null) {
                        points.add(search.outcome().best());
                    }
                    timedOut = search.timedOut();
                    if (timedOut != null) {
                        points.add(timedOut);
                        break;
                    }
                }
            } catch (Interrupted e) {
                break; // the points measured before the stop are kept, and chosen from
            }
        }
        Choice.Pick pick = Choice.pick(points, config.slo(), config.objective());
        return new Result(points, loads, searches, pick == null ? null : pick.point(), Choice.paretoFront(points),
                timedOut, pick);
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
