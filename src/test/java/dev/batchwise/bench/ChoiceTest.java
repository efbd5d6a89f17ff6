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
}
