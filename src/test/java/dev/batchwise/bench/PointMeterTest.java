package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.FakeClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PointMeterTest {

    private static final long MS = 1_000_000L;
    private static final Setting SETTING = new Setting(2, 8, 0, new Load.Clients(8));

    private final FakeClock clock = new FakeClock();

    /** Every 10 ms for {@code nanos}: one call of 8 records, each with the given latency; then the clock moves on. */
    private void traffic(PointMeter meter, long nanos, long latencyMs) {
        for (long t = 0; t < nanos; t += 10 * MS) {
            meter.call(8, 10 * MS, 80, 100);
            for (int i = 0; i < 8; i++) {
                meter.record(2 * MS, latencyMs * MS, false);
            }
            clock.advance(10 * MS);
        }
    }

    @Test
    void discardsTheWarmUpAndStopsOnceThreeWindowsAgree() {
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(500 * MS, 1000 * MS, 6));
        meter.start();
        traffic(meter, 500 * MS, 900); // warm-up: slow, and not counted
        assertTrue(meter.windows().isEmpty());
        traffic(meter, 3000 * MS, 12);
        assertFalse(meter.finished(), "the third window closes only when an event comes after it");
        traffic(meter, 10 * MS, 12);
        assertTrue(meter.finished());
        PointResult r = meter.result(SETTING);
        assertTrue(r.stable());
        assertEquals(3, r.windows());
        assertEquals(800, r.throughputPerSecond(), 800 * 0.02);
        assertEquals(12, r.latencyP99Ms(), 0.1);
        assertEquals(12, r.latencyMaxMs(), 0.1, "the warm-up's 900 ms latencies are not in the point");
        assertEquals(2, r.queueP50Ms(), 0.01);
        assertEquals(10, r.computeP99Ms(), 0.05);
        assertEquals(8, r.meanBatchSize(), 1e-9);
        assertEquals(0.2, r.paddingShare(), 1e-9);
        assertEquals(0.5, r.busyShare(), 0.02, "one 10 ms call per 10 ms on two workers");
        assertEquals(Map.of(8, r.batchSizes().get(8)), r.batchSizes());
    }

    @Test
    void eventsAfterThePointIsDoneAreIgnored() {
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3));
        meter.start();
        traffic(meter, 3010 * MS, 5);
        assertTrue(meter.finished());
        PointResult before = meter.result(SETTING);
        traffic(meter, 2000 * MS, 500);
        assertEquals(before, meter.result(SETTING));
    }

    @Test
    void aPointThatKeepsDriftingEndsUnstableAfterItsWindows() {
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 5));
        meter.start();
        for (int second = 1; second <= 6 && !meter.finished(); second++) {
            traffic(meter, 1000 * MS, 20L * second * second); // an overloaded queue: latency keeps climbing
        }
        assertTrue(meter.finished());
        PointResult r = meter.result(SETTING);
        assertFalse(r.stable());
        assertFalse(r.usable());
        assertEquals(5, r.windows());
        assertEquals(5, r.windowSeries().size());
        assertEquals(500, r.latencyMaxMs(), 1, "the result covers the last 3 windows: 180, 320, 500 ms");
    }

    @Test
    void anAbortedPointIsUnstable() {
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3));
        meter.start();
        traffic(meter, 1500 * MS, 5);
        meter.abort();
        assertTrue(meter.finished());
        PointResult r = meter.result(SETTING);
        assertFalse(r.stable());
        assertEquals(1, r.windows());
    }

    @Test
    void noTokensMeansNoPaddingShare() {
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 100 * MS, 3));
        meter.start();
        for (int i = 0; i < 40; i++) {
            clock.advance(10 * MS);
            meter.call(1, 10 * MS, 0, 0);
            meter.record(0, 10 * MS, false);
        }
        assertEquals(-1, meter.result(SETTING).paddingShare());
    }

    @Test
    void offlineThroughputCountsTheRecordsComputedNotThoseWrittenYet() {
        // an offline run groups records by length: its calls finish while the ordered output still waits for
        // an earlier record, so for a while nothing is written; a server point would read that as no throughput
        PointMeter offline = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3), java.util.List.of(), false);
        PointMeter server = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3), java.util.List.of(), true);
        offline.start();
        server.start();
        for (long t = 0; t < 3010 * MS; t += 10 * MS) {
            offline.call(8, 10 * MS, 0, 0);
            server.call(8, 10 * MS, 0, 0);
            clock.advance(10 * MS);
        }
        offline.tick();
        server.tick();
        PointResult r = offline.result(SETTING);
        assertTrue(r.stable(), r.toString());
        assertEquals(800, r.throughputPerSecond(), 800 * 0.02);
        assertEquals(0, server.result(SETTING).throughputPerSecond(), "nothing written, nothing finished");
        assertFalse(server.result(SETTING).stable());
    }
}
