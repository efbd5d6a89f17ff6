package dev.batchwise.bench;

import static dev.batchwise.bench.Points.point;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoiceTest {

    private final PointResult slowLow = point(1, 1, 100, 10);
    private final PointResult mid = point(4, 4, 300, 40);
    private final PointResult fast = point(16, 16, 500, 150);
    private final PointResult fastest = point(32, 64, 520, 400);
    private final PointResult dominated = point(8, 8, 250, 60);
    private final PointResult unstableBest = point(new Setting(1, 64, 0, new Load.Clients(64)), 900, 20, false);
    private final List<PointResult> all = List.of(slowLow, mid, fast, fastest, dominated, unstableBest);

    @Test
    void withoutAnSloTheObjectiveDecides() {
        assertEquals(fastest, Choice.best(all, null, Objective.THROUGHPUT).orElseThrow());
        assertEquals(slowLow, Choice.best(all, null, Objective.LATENCY).orElseThrow());
    }

    @Test
    void constraintsComeBeforeTheObjective() {
        assertEquals(fast, Choice.best(all, Slo.parse("p99=200ms"), Objective.THROUGHPUT).orElseThrow());
        assertEquals(mid, Choice.best(all, Slo.parse("p99=40ms"), Objective.THROUGHPUT).orElseThrow());
        assertTrue(Choice.best(all, Slo.parse("p99=5ms"), Objective.THROUGHPUT).isEmpty());
    }

    @Test
    void theSloMayNameAnotherPercentile() {
        // p50 is half of p99 in these points: p50 <= 100 ms admits the 150 ms p99 point but not the 400 ms one
        assertEquals(fast, Choice.best(all, Slo.parse("p50=100ms"), Objective.THROUGHPUT).orElseThrow());
    }

    @Test
    void unstableAndFailingPointsAreNeverChosenNorOnTheFront() {
        PointResult failing = new PointResult(new Setting(1, 2, 0, new Load.Clients(2)), 10_000, 1, 1, 1, 1, 1, 0, 0,
                0, 0, 2, java.util.Map.of(2, 10L), -1, 1, true, 3, 100, 5, List.of());
        List<PointResult> withFailing = new java.util.ArrayList<>(all);
        withFailing.add(failing);
        assertEquals(fastest, Choice.best(withFailing, null, Objective.THROUGHPUT).orElseThrow());
        List<PointResult> front = Choice.paretoFront(withFailing);
        assertTrue(!front.contains(unstableBest) && !front.contains(failing));
    }

    @Test
    void theParetoFrontHoldsThePointsNothingBeats() {
        assertEquals(List.of(slowLow, mid, fast, fastest), Choice.paretoFront(all));
    }

    @Test
    void sloParsesItsForms() {
        assertEquals(new Slo(99, 200), Slo.parse("p99=200ms"));
        assertEquals(new Slo(95, 1000), Slo.parse("P95<=1s"));
        assertEquals(new Slo(50, 20), Slo.parse("p50=20"));
        for (String bad : List.of("p98=10ms", "99=10ms", "p99", "p99=fast", "p99=0")) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Slo.parse(bad));
            assertTrue(e.getMessage().startsWith("--slo: "), e.getMessage());
        }
    }

    private static PointResult offline(int batch, double... windowThroughputs) {
        List<Window> windows = new java.util.ArrayList<>();
        long records = 0;
        for (double tp : windowThroughputs) {
            windows.add(new Window(1_000_000_000L, (long) tp, 50_000));
            records += (long) tp;
        }
        PointResult p = point(new Setting(1, batch, 0, new Load.Offline()), records / (double) windows.size(), 50,
                false);
        return PointResult.pool(List.of(new PointResult(p.setting(), p.throughputPerSecond(), 25, 40, 45, 50, 60, 1,
                2, 10, 12, batch, java.util.Map.of(batch, 10L), -1, 0.9, false, windows.size(), records, 0, windows)),
                Stability.stable(windows, false));
    }

    @Test
    void offlineTheFastestMeanIsPickedStableOrNotAndTheConfidenceSaysHowSure() {
        PointResult steadySlow = offline(8, 300, 301, 299, 300);
        PointResult noisyFast = offline(32, 420, 500, 380, 460);
        assertTrue(steadySlow.stable());
        assertTrue(!noisyFast.stable());
        Choice.Pick pick = Choice.pick(List.of(steadySlow, noisyFast), null, Objective.THROUGHPUT);
        assertEquals(noisyFast, pick.point(), "a busy machine's noise does not hand the choice to a slower point");
        assertTrue(!pick.confirmed());
        assertEquals(steadySlow, pick.runnerUp());
        assertTrue(pick.confidence() > 0.95 && pick.confidence() < 1, "440 +- 85 against 300 +- 1.3: " + pick);
        Choice.Pick close = Choice.pick(List.of(offline(8, 300, 310, 290), offline(16, 305, 295, 310)), null,
                Objective.THROUGHPUT);
        assertTrue(close.confidence() > 0.5 && close.confidence() < 0.75, "303 against 300 is nearly a coin toss: "
                + close.confidence());
    }

    @Test
    void aServerPrefersAStablePointAndFallsBackToAnUnstableOneUnconfirmed() {
        Choice.Pick pick = Choice.pick(all, null, Objective.THROUGHPUT);
        assertEquals(fastest, pick.point(), "the unstable 900/s point waits behind the stable ones");
        assertTrue(pick.confirmed());
        Choice.Pick fallback = Choice.pick(List.of(unstableBest), null, Objective.THROUGHPUT);
        assertEquals(unstableBest, fallback.point());
        assertTrue(!fallback.confirmed());
        assertEquals(null, Choice.pick(all, Slo.parse("p99=5ms"), Objective.THROUGHPUT));
    }
}
