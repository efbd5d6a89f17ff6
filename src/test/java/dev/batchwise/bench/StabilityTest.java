package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StabilityTest {

    private static final long SECOND = 1_000_000_000L;

    private static Window w(long records, long p99Micros) {
        return new Window(SECOND, records, p99Micros);
    }

    private static List<Window> repeat(int times, Window... ws) {
        List<Window> out = new java.util.ArrayList<>();
        for (int i = 0; i < times; i++) {
            out.addAll(List.of(ws));
        }
        return out;
    }

    @Test
    void threeEqualWindowsAreStable() {
        assertTrue(Stability.stable(List.of(w(100, 50_000), w(100, 50_000), w(100, 50_000))));
    }

    @Test
    void noiseThatThreeWindowsCannotSettleMoreWindowsDo() {
        // 100, 105, 109: within the old flat 10%, but the mean's 95% interval from 3 windows is about +-11%
        List<Window> three = List.of(w(100, 50_000), w(105, 50_000), w(109, 50_000));
        assertFalse(Stability.stable(three));
        assertTrue(Stability.throughput(three).relative() > 0.10, Stability.throughput(three).toString());
        // the same noise over 9 windows: the interval narrows as 1/sqrt(n), to about +-3%
        List<Window> nine = repeat(3, three.toArray(new Window[0]));
        assertTrue(Stability.stable(nine), Stability.throughput(nine).toString());
        // and noise of +-20% (which the flat rule never accepted) settles with enough windows too
        assertFalse(Stability.stable(repeat(2, w(80, 50_000), w(120, 50_000))));
        assertTrue(Stability.stable(repeat(50, w(80, 50_000), w(120, 50_000))));
    }

    @Test
    void fewerThanThreeWindowsAreNotStable() {
        assertFalse(Stability.stable(List.of(w(100, 50_000), w(100, 50_000))));
    }

    @Test
    void aDriftingThroughputIsUnstableHoweverLongItRuns() {
        List<Window> drift = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            drift.add(w(100 + 5 * i, 50_000));
            assertFalse(Stability.stable(drift), "after " + drift.size() + " windows");
        }
    }

    @Test
    void latencyClimbingIsUnstableForAServerAndIgnoredOffline() {
        // an overloaded open loop: throughput steady, latency climbing as the queue grows
        List<Window> climbing = List.of(w(100, 50_000), w(100, 60_000), w(100, 70_000));
        assertFalse(Stability.stable(climbing));
        assertFalse(Stability.stable(climbing, true));
        assertTrue(Stability.stable(climbing, false), "an offline job asks only for throughput");
    }

    @Test
    void latencyIntervalsUnderAMillisecondPassWhateverTheirRatio() {
        assertTrue(Stability.stable(List.of(w(1000, 100), w(1000, 300), w(1000, 600))));
        assertFalse(Stability.stable(List.of(w(1000, 100), w(1000, 300), w(1000, 1_200))));
    }

    @Test
    void anEmptyWindowIsNeverStable() {
        assertFalse(Stability.stable(List.of(w(0, 0), w(0, 0), w(0, 0))));
    }

    @Test
    void intervalsAndConfidence() {
        Stability.Estimate e = Stability.estimate(new double[] {10, 12, 14});
        assertEquals(12, e.mean(), 1e-12);
        assertEquals(4.303 * 2 / Math.sqrt(3), e.halfWidth(), 1e-9, "t(0.975, 2) * sd / sqrt(n)");
        assertEquals(0.975, Stability.normalCdf(1.96), 1e-4);
        assertEquals(0.5, Stability.normalCdf(0), 1e-7);
        assertEquals(0.5, Stability.confidenceAbove(e, e), 1e-7, "a point against itself: a coin toss");
        Stability.Estimate far = Stability.estimate(new double[] {20, 22, 24});
        assertTrue(Stability.confidenceAbove(far, e) > 0.99);
        assertTrue(Stability.confidenceAbove(e, far) < 0.01);
        assertEquals(0.5, Stability.confidenceAbove(Stability.estimate(new double[] {5}), e), 1e-9,
                "one window says nothing");
        assertEquals(2.042, Stability.t975(30), 1e-9);
        assertTrue(Stability.t975(31) < 2.042 && Stability.t975(1000) > 1.96);
    }
}
