package dev.batchwise.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepPlannerTest {

    private static StepCost c(int prompt, long kv) {
        return new StepCost(prompt, kv);
    }

    private static StepPlanner.Plan plan(List<StepCost> running, List<StepCost> waiting, int maxRunning,
            long prefill, long kv, boolean padded) {
        return StepPlanner.plan(running, waiting, new StepPlanner.Budget(maxRunning, prefill, kv, padded));
    }

    @Test
    void fillsTheRunningSetUpToTheMaxBatchSize() {
        StepPlanner.Plan p = plan(List.of(c(5, 10), c(5, 10)), List.of(c(5, 10), c(5, 10), c(5, 10)), 4, 0, 1000, true);
        assertEquals(List.of(0, 1), p.admit());
        assertEquals(2, p.taken());
        assertEquals(List.of(), plan(List.of(c(5, 10), c(5, 10)), List.of(c(1, 1)), 2, 0, 1000, true).admit());
    }

    @Test
    void thePrefillTokenBudgetCountsPaddingAndLetsALongPromptGoAlone() {
        // 3 × 40 = 120 > 100: the third waits
        assertEquals(List.of(0, 1), plan(List.of(), List.of(c(30, 1), c(40, 1), c(10, 1)), 8, 100, 1000, true).admit());
        assertEquals(List.of(0), plan(List.of(), List.of(c(500, 1), c(1, 1)), 8, 100, 1000, true).admit());
    }

    @Test
    void aPaddedCacheCostsRowsTimesTheLargest() {
        // running 2 × 100; adding 300 makes 3 × 300 = 900 <= 1000; adding another 10 makes 4 × 300 > 1000
        assertEquals(List.of(0), plan(List.of(c(1, 100), c(1, 100)), List.of(c(1, 300), c(1, 10)), 8, 0, 1000, true).admit());
        // summed, both fit: 200 + 300 + 10
        assertEquals(List.of(0, 1), plan(List.of(c(1, 100), c(1, 100)), List.of(c(1, 300), c(1, 10)), 8, 0, 1000, false).admit());
    }

    @Test
    void noRecordOvertakesAnOlderOneThatWaitsForRoom() {
        StepPlanner.Plan p = plan(List.of(c(1, 400)), List.of(c(1, 700), c(1, 10)), 8, 0, 1000, false);
        assertEquals(List.of(), p.admit());
        assertEquals(0, p.taken());
    }

    @Test
    void aRecordThatCanNeverFitIsRejectedWithoutBlockingTheNext() {
        StepPlanner.Plan p = plan(List.of(c(1, 100)), List.of(c(1, 5000), c(1, 100)), 8, 0, 1000, true);
        assertEquals(List.of(1), p.admit());
        assertEquals(List.of(0), p.reject());
        assertEquals(2, p.taken());
    }

    @Test
    void budgetsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new StepPlanner.Budget(0, 0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new StepPlanner.Budget(1, -1, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new StepPlanner.Budget(1, 0, 0, true));
    }
}
