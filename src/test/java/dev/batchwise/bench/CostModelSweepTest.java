package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.pipeline.OnError;
import dev.batchwise.run.FunctionSpec;
import dev.batchwise.run.RunSpec;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.testing.ScriptedFunction;
import dev.batchwise.testing.ScriptedFunctions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @TempDir
    Path dir;

    private final VirtualTime clock = new VirtualTime();

    /** The function {@code text -> out} costing {@code aMs + kMs·n} of virtual time per call. */
    private FunctionSpec costing(String handle, long aMs, long kMs) {
        ScriptedFunctions.put(handle, ScriptedFunction.of(batch -> {
            try {
                clock.sleepUntil(clock.nanoTime() + (aMs + kMs * batch.size()) * MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return List.of(batch);
        }));
        return new FunctionSpec.Named("scripted", Map.of("handle", handle), List.of());
    }

    private RunSpec spec(FunctionSpec function, Path input) {
        return new RunSpec(List.of(Input.of(input.toString())), null, ReaderOptions.defaults(), Map.of(), null,
                function, new ArrivalSpec.ClosedLoop(1), new RunSpec.Batching(1, 0, 0, null, null, 0, 1024), 1,
                OnError.CONTINUE, Duration.ofSeconds(5), "5s",
                new RunSpec.OutputSettings(null, OutputFormat.JSONL, false, null, null, false, null, true, false));
    }

    private Path input() throws Exception {
        return Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\ngamma\ndelta\nepsilon\n");
    }

    private Sweep.Result sweep(FunctionSpec function, Grid grid, Slo slo) throws Exception {
        Path in = input();
        // virtual time runs as fast as the machine simulates it: a point's bound in real time is only a guard here
        PipelineTarget target = new PipelineTarget(spec(function, in), Map.of(), List.of(in), InputFormat.TEXT, clock,
                1, java.util.concurrent.TimeUnit.MINUTES.toNanos(2));
        Sweep.Config config = new Sweep.Config(grid, new PointMeter.Plan(500 * MS, 1000 * MS, 5), slo,
                Objective.THROUGHPUT, false, 10);
        try (clock) {
            return Sweep.run(target, config, Sweep.Progress.NONE);
        }
    }

    private static PointResult at(Sweep.Result r, int batch) {
        return r.points().stream().filter(p -> p.setting().maxBatchSize() == batch).findFirst().orElseThrow();
    }

    @Test
    void theSweepPicksTheBatchSizeTheCostModelPredicts() throws Exception {
        // 16 clients, a = 20 ms, k = 1 ms: batch 1 gives 1000/21 = 47.6/s, batch 4 4000/24 = 167/s, batch 16
        // 16000/36 = 444/s. A max delay of 1 ms lets the clients that a call releases all arrive before the
        // next batch forms (without one, which of them make the next batch is a race of real threads).
        Grid grid = new Grid(List.of(1, 4, 16), List.of(MS), List.of(1), List.of(new Load.Clients(16)));
        Sweep.Result r = sweep(costing("cost-grid", 20, 1), grid, null);
        assertEquals(3, r.points().size());
        r.points().forEach(p -> assertTrue(p.stable(), "on virtual time every point settles: " + p));
        assertEquals(1000.0 / 21, at(r, 1).throughputPerSecond(), 1000.0 / 21 * 0.05);
        assertEquals(21, at(r, 1).computeP50Ms(), 0.1, "the call costs what the model says");
        assertEquals(16 * 21, at(r, 1).latencyP50Ms(), 16 * 21 * 0.05, "16 clients queue behind one worker");
        assertEquals(4000.0 / 24, at(r, 4).throughputPerSecond(), 4000.0 / 24 * 0.05);
        assertEquals(16000.0 / 36, at(r, 16).throughputPerSecond(), 16000.0 / 36 * 0.05);
        assertEquals(16, at(r, 16).meanBatchSize(), 0.1);
        // each record waits only for its own call (36 ms) and, at most, the 1 ms max delay while its
        // batch fills; 0.5 ms more for the histogram's precision
        double p99 = at(r, 16).latencyP99Ms();
        assertTrue(p99 >= 36 - 0.5 && p99 <= 36 + 1 + 0.5, "p99 " + p99 + " ms");
        assertEquals(16, r.chosen().setting().maxBatchSize());
    }

    @Test
    void theRateSearchFindsTheCapacityTheCostModelImplies() throws Exception {
        // one worker, batches of up to 8, a = 10 ms, k = 2 ms: full batches take 26 ms, 8/26 ms = 307.7 records/s;
        // with a loose SLO the largest sustainable rate is that capacity. The 2 ms max delay makes each batch
        // wait on the clock, so what goes in it does not depend on how real threads interleave.
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
}
