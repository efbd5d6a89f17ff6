package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.RunSpec;
import dev.batchwise.source.InputFormat;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps through the real pipeline on virtual time, with a function whose cost is known exactly:
 * {@code a + k·n} per call of n records, spent sleeping on the fake clock. The sweep must then pick
 * what the cost model predicts, and the rate search find the capacity it implies.
 */
class CostModelSweepTest {

    private static final long MS = 1_000_000L;
    /** The latency histograms keep 3 significant digits. */
    private static final double HISTOGRAM = 0.001;

    @TempDir
    Path dir;

    private final VirtualTime clock = new VirtualTime();

    /** The function {@code text -> out} costing {@code aMs + kMs·n} of virtual time per call. */
    private String costing(String handle, long aMs, long kMs) {
        return costing(handle, aMs * 1000, kMs * 1000, 0);
    }

    /** The function costing {@code a + k·n + q·n²} microseconds of virtual time per call of n records. */
    private String costing(String handle, long aMicros, long kMicros, long qMicros) {
        ScriptedFunctions.put(handle, ScriptedFunction.of(batch -> {
            try {
                long n = batch.size();
                clock.sleepUntil(clock.nanoTime() + (aMicros + kMicros * n + qMicros * n * n) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return List.of(batch);
        }));
        return handle;
    }

    /** The sweep's run settings: the scripted function by its handle, the rest run's defaults. */
    private static RunSpec.Builder settings(String handle) {
        RunSpec.Builder b = RunSpec.builder();
        b.function.name = "scripted";
        b.function.args = Map.of("handle", handle);
        return b;
    }

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\ndelta\nepsilon\n");
    }

    private Sweep.Result sweep(String handle, Grid grid, Slo slo) throws Exception {
        return sweep(handle, new Sweep.Config(grid, new PointMeter.Plan(500 * MS, 1000 * MS, 5), slo,
                Objective.THROUGHPUT, false, 10));
    }

    private Sweep.Result sweep(String handle, Sweep.Config config) throws Exception {
        Path in = input();
        // virtual time runs as fast as the machine simulates it: a point's bound in real time is only a guard here
        RunTarget target = new RunTarget(new PointSpecs(() -> settings(handle), InputFormat.TEXT), Map.of(),
                List.of(in), InputFormat.TEXT, clock, java.util.concurrent.TimeUnit.MINUTES.toNanos(2));
        try (clock) {
            return clock.run(() -> Sweep.run(target, config, Sweep.Progress.NONE));
        }
    }

    private static PointResult at(Sweep.Result r, int batch) {
        return r.points().stream().filter(p -> p.setting().maxBatchSize() == batch).findFirst().orElseThrow();
    }

    @Test
    void theSweepPicksTheBatchSizeTheCostModelPredicts() throws Exception {
        // 16 clients, a = 20 ms, k = 1 ms: batch 1 gives 1000/21 = 47.6/s, batch 4 4000/24 = 167/s, batch 16
        // 16000/36 = 444/s. The clients a call frees arrive at the instant it ends; a max delay of 1 ms holds
        // the next batch on the clock until they all have (with none, a worker could take a batch at that
        // same instant, before the intake has admitted them all: two threads at one virtual time). The
        // clock moves only once every pipeline thread waits on it, so the figures are exact: a point's
        // throughput is off the model only by the calls that straddle its measuring windows' edges.
        Grid grid = new Grid(List.of(1, 4, 16), List.of(MS), List.of(1), List.of(new Load.Clients(16)));
        Sweep.Result r = sweep(costing("cost-grid", 20, 1), grid, null);
        assertEquals(3, r.points().size());
        r.points().forEach(p -> assertTrue(p.stable(), "on virtual time every point settles: " + p));
        for (int batch : new int[] {1, 4, 16}) {
            PointResult p = at(r, batch);
            double callMs = 20 + batch;
            assertEquals(batch, p.meanBatchSize(), 0.0, "every batch full: " + p);
            assertEquals(callMs, p.computeP50Ms(), callMs * HISTOGRAM, "the call costs what the model says");
            // one call more or less in each of the 3 windows measured
            assertEquals(1000 * batch / callMs, p.throughputPerSecond(), batch / 3.0, "at batch " + batch);
            // the 16 clients queue behind one worker: 16 / batch calls from arrival to the end of its own
            assertEquals(16 / batch * callMs, p.latencyP50Ms(), 16 / batch * callMs * HISTOGRAM);
            assertEquals(p.latencyP50Ms(), p.latencyP99Ms(), 0.0, "every record waits alike: " + p);
        }
        assertEquals(16, r.chosen().setting().maxBatchSize());
    }

    @Test
    void theRateSearchFindsTheCapacityTheCostModelImplies() throws Exception {
        // one worker, batches of up to 8, a = 10 ms, k = 2 ms: full batches take 26 ms, 8/26 ms = 307.7 records/s;
        // with a loose SLO the largest sustainable rate is that capacity, found to the search's resolution (it
        // bisects between rates that pass and fail from the capacity a closed-loop probe estimates). The 2 ms
        // max delay makes each batch wait on the clock for the records due within it.
        Grid grid = new Grid(List.of(8), List.of(2 * MS), List.of(1), List.of());
        Sweep.Result r = sweep(costing("cost-rate", 10, 2), grid, Slo.parse("p99=2s"));
        assertEquals(1, r.searches().size());
        Sweep.Search search = r.searches().get(0);
        assertNotNull(search.outcome().best(), search.outcome().steps().toString());
        double found = ((Load.Rate) search.outcome().best().setting().load()).perSecond();
        double capacity = 8000.0 / 26;
        assertTrue(found >= capacity * 0.9 && found <= capacity * 1.1, "found " + found + " of " + capacity
                + " after " + search.outcome().steps().stream().map(p -> p.setting().load().label() + " "
                        + (p.stable() ? "stable" : "unstable") + " " + p.windowSeries() + " batch " + p.meanBatchSize()).toList());
    }

    @Test
    void anOfflineSweepPicksTheSettingTheCostModelPredicts() throws Exception {
        // Offline: every record offered at once, so every batch is full. A call of n records costs
        // 20 ms + 1 ms·n + 0.1 ms·n² (a cost that grows faster than the batch, as attention's does): on one
        // worker, b=4 gives 4/25.6 ms = 156/s, b=16 16/61.6 ms = 260/s, b=32 32/154.4 ms = 207/s, b=64
        // 64/493.6 ms = 130/s; two workers compute side by side on virtual time, so twice as much. The model's
        // best is w=2 b=16 at 519/s, inside the grid, not at its edge. Two rounds visit every point twice,
        // the second in reverse order, each visit 3 windows. Windows of 2 s hold a dozen calls even at b=32,
        // so that a call more or less in a window (the only noise on virtual time) stays within the interval.
        Grid grid = new Grid(List.of(4, 16, 32), List.of(0L), List.of(1, 2), List.of(new Load.Offline()));
        Sweep.Config config = new Sweep.Config(grid, new PointMeter.Plan(500 * MS, 2000 * MS, 8), null,
                Objective.THROUGHPUT, false, 10, 2, 3);
        Sweep.Result r = sweep(costing("cost-offline", 20_000, 1_000, 100), config);
        assertEquals(6, r.points().size());
        for (PointResult p : r.points()) {
            int b = p.setting().maxBatchSize();
            double callMs = 20 + b + 0.1 * b * b;
            double predicted = p.setting().workers() * b * 1000 / callMs;
            assertTrue(p.stable(), "on virtual time every point settles: " + p);
            assertEquals(6, p.windows(), "two visits of 3 windows: " + p.setting().key());
            assertEquals(b, p.meanBatchSize(), 0.0, "offline, every batch is full: " + p);
            // a call more or less per worker at each of a window's edges
            assertEquals(predicted, p.throughputPerSecond(), 2.0 * b * p.setting().workers() / 2 / 2,
                    p.setting().key());
        }
        assertEquals(new Setting(2, 16, 0, new Load.Offline()), r.chosen().setting());
        assertTrue(r.confirmed());
        assertTrue(r.pick().confidence() > 0.99, "519/s against the runner-up's 415/s: " + r.pick());
        assertEquals(List.of("--max-batch-size", "16", "--workers", "2"), ServerSettings.runFlags(r.chosen().setting()));
    }
}
