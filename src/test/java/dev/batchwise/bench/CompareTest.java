package dev.batchwise.bench;

import static dev.batchwise.bench.Points.point;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CompareTest {

    @Test
    void matchesPointsBySettingsAndGivesRatios() {
        List<PointResult> a = List.of(point(1, 4, 100, 10), point(16, 4, 400, 40), point(32, 4, 500, 80));
        List<PointResult> b = List.of(point(1, 4, 110, 9), point(16, 4, 300, 60), point(64, 4, 900, 200));
        Compare.Result r = Compare.compare(a, b, 10);
        assertEquals(4, r.rows().size());
        Compare.Row first = r.rows().get(0);
        assertEquals(1.1, first.throughputRatio(), 1e-9);
        assertEquals(0.9, first.p99Ratio(), 1e-9);
        assertEquals(List.of("w=1 b=16 d=0 c=4"), r.slower().stream().map(Compare.Row::key).toList());
        String table = Compare.table(r, "a.json", "b.json");
        assertTrue(table.contains("0.75x") && table.contains("SLOWER") && table.contains("(only in A)")
                && table.contains("(only in B)"), table);
    }

    @Test
    void withinTheThresholdIsNotSlower() {
        List<PointResult> a = List.of(point(16, 4, 400, 40));
        List<PointResult> b = List.of(point(16, 4, 361, 40));
        assertTrue(Compare.compare(a, b, 10).slower().isEmpty());
        assertEquals(1, Compare.compare(a, b, 9).slower().size());
        assertTrue(Compare.compare(a, b, -1).slower().isEmpty(), "no threshold, nothing is slower");
    }

    @Test
    void unstablePointsAreNotComparedAgainstTheThreshold() {
        Setting s = new Setting(1, 16, 0, new Load.Clients(4));
        List<PointResult> a = List.of(point(s, 400, 40, true));
        List<PointResult> b = List.of(point(s, 100, 40, false));
        assertTrue(Compare.compare(a, b, 10).slower().isEmpty());
    }
}
