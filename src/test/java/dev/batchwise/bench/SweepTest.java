package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepTest {

    /**
     * A target whose points follow a cost model, a + k·n per call with enough clients to fill the
     * batches: throughput = workers · b / (a + k·b), latency = a + k·b.
     */
    private static final class ModelTarget implements Target {
        final List<Integer> loads = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final double aMs;
        final double kMs;

        ModelTarget(double aMs, double kMs) {
            this.aMs = aMs;
            this.kMs = kMs;
        }

        @Override
        public Workers load(int workers) {
            loads.add(workers);
            events.add("load " + workers);
            return new Workers() {
                @Override
                public long loadNanos() {
                    return 1_500_000_000L;
                }

                @Override
                public PointResult run(Setting s, PointMeter.Plan plan) {
                    events.add("point " + s.key());
                    double callMs = aMs + kMs * s.maxBatchSize();
                    double tp = s.workers() * s.maxBatchSize() * 1000 / callMs;
                    return Points.point(s, tp, callMs, true);
                }

                @Override
                public void close() {
                    events.add("close " + workers);
                }
            };
        }
    }

    private static Sweep.Config config(Grid grid, Slo slo) {
        return new Sweep.Config(grid, new PointMeter.Plan(0, 1_000_000_000L, 3), slo, Objective.THROUGHPUT, true, 8);
    }

    @Test
    void loadsOncePerWorkerCountAndRunsEveryPointOnThoseInstances() throws Exception {
        ModelTarget target = new ModelTarget(50, 2);
        Grid grid = new Grid(List.of(1, 8), List.of(0L), List.of(1, 2), List.of(new Load.Clients(16)));
        Sweep.Result r = Sweep.run(target, config(grid, null), Sweep.Progress.NONE);
        assertEquals(List.of("load 1", "point w=1 b=1 d=0 c=16", "point w=1 b=8 d=0 c=16", "close 1", "load 2",
                "point w=2 b=1 d=0 c=16", "point w=2 b=8 d=0 c=16", "close 2"), target.events);
        assertEquals(java.util.Map.of(1, 1_500_000_000L, 2, 1_500_000_000L), r.loadNanos());
        assertEquals(4, r.points().size());
    }

    @Test
    void roundsVisitEveryPointEachTimeAndOddRoundsInReverse() throws Exception {
        ModelTarget target = new ModelTarget(50, 2);
        Grid grid = new Grid(List.of(1, 8), List.of(0L), List.of(1, 2), List.of(new Load.Clients(16)));
        Sweep.Config config = new Sweep.Config(grid, new PointMeter.Plan(0, 1_000_000_000L, 6), null,
                Objective.THROUGHPUT, true, 8, 2, 3);
        Sweep.Result r = Sweep.run(target, config, Sweep.Progress.NONE);
        assertEquals(List.of("load 1", "point w=1 b=1 d=0 c=16", "point w=1 b=8 d=0 c=16", "close 1", "load 2",
                "point w=2 b=1 d=0 c=16", "point w=2 b=8 d=0 c=16", "close 2",
                "load 2", "point w=2 b=8 d=0 c=16", "point w=2 b=1 d=0 c=16", "close 2", "load 1",
                "point w=1 b=8 d=0 c=16", "point w=1 b=1 d=0 c=16", "close 1"), target.events);
        assertEquals(4, r.points().size(), "each point's visits pooled into one");
        assertEquals(6, r.points().get(0).windows(), "two visits of 3 windows");
    }

    @Test
    void picksTheSettingTheCostModelPredicts() throws Exception {
        // a = 50 ms, k = 2 ms: b=32 gives 32/(114 ms) = 281/s at 114 ms; b=16: 195/s at 82 ms; b=4: 69/s at 58 ms
        ModelTarget target = new ModelTarget(50, 2);
        Grid grid = new Grid(List.of(1, 4, 16, 32), List.of(0L), List.of(1), List.of(new Load.Clients(64)));
        assertEquals(32, Sweep.run(target, config(grid, null), Sweep.Progress.NONE).chosen().setting().maxBatchSize());
        assertEquals(16, Sweep.run(target, config(grid, Slo.parse("p99=100ms")), Sweep.Progress.NONE).chosen()
                .setting().maxBatchSize());
        assertEquals(4, Sweep.run(target, config(grid, Slo.parse("p99=60ms")), Sweep.Progress.NONE).chosen()
                .setting().maxBatchSize());
    }

    @Test
    void atBatchSizeOneOnlyTheShortestDelayIsMeasured() {
        Grid grid = new Grid(List.of(1, 8), List.of(5_000_000L, 0L), List.of(1), List.of(new Load.Clients(4)));
        assertEquals(List.of("w=1 b=1 d=0 c=4", "w=1 b=8 d=5ms c=4", "w=1 b=8 d=0 c=4"),
                grid.settings(1, null).stream().map(Setting::key).toList());
        assertEquals(3, grid.size());
    }

    /** A target whose point at {@code hangsAt} batch size times out. */
    private static final class HangingTarget implements Target {
        final List<String> events = new ArrayList<>();
        final int hangsAt;

        HangingTarget(int hangsAt) {
            this.hangsAt = hangsAt;
        }

        @Override
        public Workers load(int workers) {
            events.add("load " + workers);
            return new Workers() {
                @Override
                public long loadNanos() {
                    return 0;
                }

                @Override
                public PointResult run(Setting s, PointMeter.Plan plan) {
                    events.add("point " + s.key());
                    return s.maxBatchSize() == hangsAt ? PointResult.timedOut(s, 1)
                            : Points.point(s, 1000.0 * s.maxBatchSize(), 10, true);
                }

                @Override
                public void close() {
                    events.add("close " + workers);
                }
            };
        }
    }

    @Test
    void aPointThatTimesOutOnALaterVisitIsThatVisitAloneAndEndsTheSweep() throws Exception {
        List<String> visits = new ArrayList<>();
        Target target = workers -> new Target.Workers() {
            @Override
            public long loadNanos() {
                return 0;
            }

            @Override
            public PointResult run(Setting s, PointMeter.Plan plan) {
                visits.add(s.key());
                boolean second = visits.stream().filter(s.key()::equals).count() == 2;
                // the faster point, were its first visit kept, would be chosen
                return s.maxBatchSize() == 8 && second ? PointResult.timedOut(s, 1)
                        : Points.point(s, 1000.0 * s.maxBatchSize(), 10, true);
            }

            @Override
            public void close() {}
        };
        Grid grid = new Grid(List.of(1, 8), List.of(0L), List.of(1), List.of(new Load.Clients(4)));
        Sweep.Result r = Sweep.run(target, new Sweep.Config(grid, new PointMeter.Plan(0, 1_000_000_000L, 6), null,
                Objective.THROUGHPUT, true, 8, 2, 3), Sweep.Progress.NONE);
        assertEquals(List.of("w=1 b=1 d=0 c=4", "w=1 b=8 d=0 c=4", "w=1 b=8 d=0 c=4"), visits,
                "the second round starts with b=8, and stops there");
        assertEquals(2, r.points().size(), r.points().toString());
        assertTrue(r.timedOut().timedOut());
        assertEquals(1, r.chosen().setting().maxBatchSize());
    }

    @Test
    void aTimedOutPointEndsTheSweepAndIsNeverChosen() throws Exception {
        HangingTarget target = new HangingTarget(8);
        Grid grid = new Grid(List.of(1, 8, 16), List.of(0L), List.of(1, 2), List.of(new Load.Clients(16)));
        Sweep.Result r = Sweep.run(target, config(grid, null), Sweep.Progress.NONE);
        assertEquals(List.of("load 1", "point w=1 b=1 d=0 c=16", "point w=1 b=8 d=0 c=16", "close 1"), target.events,
                "no point runs after it, on these workers or others");
        assertEquals(2, r.points().size());
        assertEquals("w=1 b=8 d=0 c=16", r.timedOut().setting().key());
        assertEquals(r.timedOut(), r.points().get(1));
        assertEquals(1, r.chosen().setting().maxBatchSize(), "though its throughput reads 0, it is not a candidate");
        assertFalse(r.paretoFront().contains(r.timedOut()));
        assertFalse(Slo.parse("p99=1s").meets(r.timedOut()), "no latency, so no SLO met");
    }

    @Test
    void aTimedOutStepEndsARateSearch() throws Exception {
        HangingTarget target = new HangingTarget(4);
        Grid grid = new Grid(List.of(4, 8), List.of(0L), List.of(1), List.of());
        Sweep.Result r = Sweep.run(target, config(grid, Slo.parse("p99=1s")), Sweep.Progress.NONE);
        assertEquals(List.of("load 1", "point w=1 b=4 d=0 c=8", "close 1"), target.events);
        assertEquals(1, r.searches().size());
        assertEquals(RateSearch.TIMED_OUT, r.searches().get(0).outcome().stoppedBy());
        assertEquals(r.timedOut(), r.searches().get(0).timedOut());
        assertEquals(List.of(r.timedOut()), r.points());
    }

    @Test
    void everyPointGetsTheRunsQueueSettingsAndSeed() {
        PointSpecs specs = new PointSpecs(() -> {
            dev.batchwise.run.RunSpec.Builder b = dev.batchwise.run.RunSpec.builder();
            b.function.name = "echo";
            b.batching.maxBatchTokens = 64;
            b.batching.groupByLength = true;
            b.batching.lookahead = 32;
            b.batching.timeoutNanos = 5_000_000L;
            b.batching.queueCapacity = 100;
            b.arrival.seed = 7;
            return b;
        }, dev.batchwise.source.InputFormat.TEXT);
        dev.batchwise.run.RunSpec point = specs.point(new Setting(1, 4, 1_000_000L, new Load.Clients(8)));
        assertEquals(new dev.batchwise.batching.BatchPolicy(4, 1_000_000L, 64, true, 32, 5_000_000L),
                point.batching().policy(true, point.arrival()));
        assertEquals(new dev.batchwise.arrival.ArrivalSpec.ClosedLoop(8), point.arrival());
        assertEquals(new dev.batchwise.arrival.ArrivalSpec.OpenLoop(50, true, 7),
                specs.point(new Setting(2, 4, 0, new Load.Rate(50, true))).arrival());
        assertEquals(2, specs.point(new Setting(2, 4, 0, new Load.Rate(50, true))).workers());
        assertEquals(7, specs.seed(), "and the seed of the order records are drawn in");
    }

    @Test
    void aRateSearchNeedsAnSlo() {
        Grid grid = new Grid(List.of(1), List.of(0L), List.of(1), List.of());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> config(grid, null));
        assertTrue(e.getMessage().contains("--slo"), e.getMessage());
    }
}
