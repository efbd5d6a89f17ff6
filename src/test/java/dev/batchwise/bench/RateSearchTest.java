package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    /**
     * A system that keeps up below {@code capacity} with a latency that grows as it nears it
     * (M/M/1-like), and never stabilises above it.
     */
    private static RateSearch.Probe system(double capacity, double serviceMs, List<Double> tried) {
        return rate -> {
            tried.add(rate);
            Setting s = new Setting(1, 8, 0, new Load.Rate(rate, true));
            if (rate >= capacity) {
                return Points.point(s, capacity, 10_000, false);
            }
            double p99 = serviceMs * 4.6 / (1 - rate / capacity);
            return Points.point(s, rate, p99, true);
        };
    }

    @Test
    void findsTheLargestRateThatMeetsTheSlo() throws Exception {
        // p99 = 46 ms / (1 - r/1000) <= 200 ms  <=>  r <= 770
        List<Double> tried = new ArrayList<>();
        RateSearch.Outcome o = RateSearch.search(system(1000, 10, tried), Slo.parse("p99=200ms"), 1000, 12);
        assertNotNull(o.best());
        double found = ((Load.Rate) o.best().setting().load()).perSecond();
        assertTrue(found <= 770 && found >= 770 * 0.9, "found " + found + " after " + tried);
        assertEquals(tried.size(), o.steps().size());
    }

    @Test
    void findsCapacityWhenTheSloIsLoose() throws Exception {
        List<Double> tried = new ArrayList<>();
        RateSearch.Outcome o = RateSearch.search(system(500, 1, tried), Slo.parse("p99=10s"), 480, 12);
        double found = ((Load.Rate) o.best().setting().load()).perSecond();
        assertTrue(found < 500 && found >= 450, "found " + found + " after " + tried);
    }

    @Test
    void raisesTheTopWhenTheEstimateWasLow() throws Exception {
        List<Double> tried = new ArrayList<>();
        RateSearch.Outcome o = RateSearch.search(system(1000, 1, tried), Slo.parse("p99=10s"), 100, 16);
        double found = ((Load.Rate) o.best().setting().load()).perSecond();
        assertTrue(found >= 900 && found < 1000, "found " + found + " after " + tried);
    }

    @Test
    void stopsOnThePlateauRule() throws Exception {
        // every rate passes but the achieved throughput never grows past 100/s: past the plateau, stop
        List<Double> tried = new ArrayList<>();
        RateSearch.Probe flat = rate -> {
            tried.add(rate);
            return Points.point(new Setting(1, 1, 0, new Load.Rate(rate, false)), Math.min(rate, 100), 5, true);
        };
        RateSearch.Outcome o = RateSearch.search(flat, null, 100, 50);
        assertTrue(tried.size() < 50, "tried " + tried);
        assertNotNull(o.best());
    }

    @Test
    void reportsNoRateWhenNoneMeetsTheSlo() throws Exception {
        List<Double> tried = new ArrayList<>();
        RateSearch.Outcome o = RateSearch.search(system(1000, 100, tried), Slo.parse("p99=50ms"), 1000, 8);
        assertNull(o.best());
        assertEquals(8, tried.size());
    }
}
