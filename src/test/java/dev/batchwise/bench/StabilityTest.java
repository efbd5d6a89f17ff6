package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityTest {

    private static final long SECOND = 1_000_000_000L;

    private static Window w(long records, long p99Micros) {
        return new Window(SECOND, records, p99Micros);
    }

    @Test
    void threeWindowsWithinTenPercentAreStable() {
        assertTrue(Stability.stable(List.of(w(100, 50_000), w(105, 52_000), w(109, 54_900))));
    }

    @Test
    void onlyTheLastThreeCount() {
        assertTrue(Stability.stable(List.of(w(10, 900_000), w(100, 50_000), w(105, 52_000), w(109, 54_900))));
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(105, 52_000), w(109, 54_900), w(10, 50_000))));
    }

    @Test
    void fewerThanThreeWindowsAreNotStable() {
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(100, 50_000))));
    }

    @Test
    void throughputSpreadOverTenPercentIsUnstable() {
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(105, 50_000), w(111, 50_000))));
    }

    @Test
    void latencySpreadOverTenPercentIsUnstable() {
        // an overloaded open loop: throughput steady, latency climbing as the queue grows
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(100, 60_000), w(100, 70_000))));
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(100, 50_000), w(100, 55_100))));
    }

    @Test
    void latenciesUnderAMillisecondApartAgreeWhateverTheirRatio() {
        assertTrue(Stability.stable(List.of(w(1000, 100), w(1000, 300), w(1000, 900))));
        assertFalse(Stability.stable(List.of(w(1000, 100), w(1000, 300), w(1000, 1_200))));
    }

    @Test
    void anEmptyWindowIsNeverStable() {
        assertFalse(Stability.stable(List.of(w(0, 0), w(0, 0), w(0, 0))));
    }
}
