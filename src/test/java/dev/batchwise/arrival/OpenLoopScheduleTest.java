package dev.batchwise.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private static List<Long> first(OpenLoopSchedule s, int n) {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            offsets.add(s.nextOffsetNanos());
        }
        return offsets;
    }

    @Test
    void constantRateSpacesArrivalsEvenly() {
        OpenLoopSchedule s = new OpenLoopSchedule(new ArrivalSpec.OpenLoop(4, false, 0));
        assertEquals(List.of(0L, 250_000_000L, 500_000_000L, 750_000_000L), first(s, 4));
    }

    @Test
    void poissonArrivalsAreReproducibleFromTheSeed() {
        List<Long> a = first(new OpenLoopSchedule(new ArrivalSpec.OpenLoop(100, true, 7)), 50);
        List<Long> b = first(new OpenLoopSchedule(new ArrivalSpec.OpenLoop(100, true, 7)), 50);
        List<Long> c = first(new OpenLoopSchedule(new ArrivalSpec.OpenLoop(100, true, 8)), 50);
        assertEquals(a, b);
        assertEquals(false, a.equals(c));
    }

    @Test
    void poissonArrivalsAverageTheRate() {
        OpenLoopSchedule s = new OpenLoopSchedule(new ArrivalSpec.OpenLoop(1000, true, 42));
        List<Long> offsets = first(s, 100_001);
        double meanGapMillis = offsets.get(100_000) / 1e6 / 100_000;
        assertEquals(1.0, meanGapMillis, 0.02);
    }
}
