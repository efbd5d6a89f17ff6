package dev.batchwise.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aKnownSizeGivesPercentageEtaAndABar() {
        // half the bytes read holding 20,000 records: about 40,000 in all, 10,000 written
        var s = new ProgressView.Snapshot(null, 10_000, 0, 20_000, 500_000, 1_000_000, 500, 10 * SECOND);
        assertEquals("10,000 records  25%  500/s  0:10 elapsed, 1:00 left  [#####...............]",
                ProgressView.render(s, 120));
        var done = new ProgressView.Snapshot(null, 40_000, 0, 40_000, 1_000_000, 1_000_000, 500, 80 * SECOND);
        assertTrue(ProgressView.render(done, 120).startsWith("40,000 records 100%  500/s  1:20 elapsed, 0:00 left"));
    }

    @Test
    void anUnknownSizeGivesCountRateAndElapsedOnly() {
        var s = new ProgressView.Snapshot(null, 1, 2, 3, 500, -1, 3.4, 65 * SECOND);
        assertEquals("1 record  2 failed  3/s  1:05", ProgressView.render(s, 120));
    }

    @Test
    void aNarrowTerminalDropsTheLeastImportantPartsAndNeverFillsTheLastColumn() {
        var s = new ProgressView.Snapshot(null, 10_896, 3, 43_584, 1_000_000, 1_000_000, 371, 10 * SECOND);
        for (int width = 10; width <= 100; width++) {
            String line = ProgressView.render(s, width);
            assertTrue(line.length() < width, width + ": " + line);
            assertTrue(line.startsWith(width > 22 ? "10,896 records  25%" : "10,896"), width + ": " + line);
        }
        assertEquals("10,896 records  25%  3 failed  371/s", ProgressView.render(s, 40));
    }

    @Test
    void beforeTheFirstRecordItSaysWhatLoads() {
        assertEquals("loading model minilm ...  0:01",
                ProgressView.render(ProgressView.Snapshot.loading("model minilm", 1_500_000_000L), 80));
    }

    @Test
    void theRateIsRecentNotSinceTheStart() {
        RecentRate r = new RecentRate(5 * SECOND);
        assertTrue(Double.isNaN(r.perSecond()));
        // ten slow seconds (10/s), then five fast ones (100/s): the rate says 100, the average 40
        long count = 0;
        for (int t = 0; t <= 10; t++) {
            r.add(t * SECOND, count);
            count += 10;
        }
        count -= 10;
        for (int t = 11; t <= 15; t++) {
            count += 100;
            r.add(t * SECOND, count);
        }
        assertEquals(100, r.perSecond(), 1e-9);
    }

    @Test
    void clockReadsLikeAClock() {
        assertEquals("0:00", ProgressView.clock(0));
        assertEquals("2:05", ProgressView.clock(125 * SECOND));
        assertEquals("1:02:03", ProgressView.clock(3723 * SECOND));
    }
}
