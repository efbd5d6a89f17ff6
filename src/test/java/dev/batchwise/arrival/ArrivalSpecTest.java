package dev.batchwise.arrival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchwise.util.SettingException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How the arrival settings go together, as every front end gets them from the spec's builder: one
 * mode at most, each mistake naming the setting at fault by its key.
 */
class ArrivalSpecTest {

    private static ArrivalSpec build(Consumer<ArrivalSpec.Builder> settings) {
        ArrivalSpec.Builder b = ArrivalSpec.builder();
        settings.accept(b);
        return b.build();
    }

    private static SettingException mistake(Consumer<ArrivalSpec.Builder> settings) {
        return assertThrows(SettingException.class, () -> build(settings));
    }

    @Test
    void nothingGivenIsABurst() {
        assertEquals(new ArrivalSpec.Burst(), build(b -> { }));
        assertEquals(new ArrivalSpec.Burst(), build(b -> b.mode = ArrivalSpec.Mode.BURST));
    }

    @Test
    void clientsMakeAClosedLoopWithinItsBounds() {
        assertEquals(new ArrivalSpec.ClosedLoop(1), build(b -> b.concurrency = 1));
        assertEquals(new ArrivalSpec.ClosedLoop(ArrivalSpec.MAX_CLIENTS),
                build(b -> b.concurrency = ArrivalSpec.MAX_CLIENTS));
        SettingException e = mistake(b -> b.concurrency = 0);
        assertEquals("concurrency", e.setting());
        assertEquals("concurrency: 0 is out of range; it must be from 1 to 100,000", e.getMessage());
        assertEquals("concurrency", mistake(b -> b.concurrency = ArrivalSpec.MAX_CLIENTS + 1).setting());
    }

    @Test
    void aRateMakesAnOpenLoopWithEqualGapsUnlessPoisson() {
        assertEquals(new ArrivalSpec.OpenLoop(50, false, 1), build(b -> b.rate = 50.0));
        assertEquals(new ArrivalSpec.OpenLoop(50, false, 1), build(b -> {
            b.rate = 50.0;
            b.mode = ArrivalSpec.Mode.CONSTANT;
        }));
        assertEquals(new ArrivalSpec.OpenLoop(0.5, true, 7), build(b -> {
            b.rate = 0.5;
            b.mode = ArrivalSpec.Mode.POISSON;
            b.seed = 7;
        }));
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            SettingException e = mistake(b -> b.rate = bad);
            assertEquals("rate", e.setting(), () -> "rate " + bad);
            assertEquals("rate must be a positive number of records per second", e.getMessage());
        }
    }

    @Test
    void settingsOfTwoModesExcludeEachOther() {
        SettingException both = mistake(b -> {
            b.concurrency = 4;
            b.rate = 10.0;
        });
        assertEquals("concurrency", both.setting());
        assertEquals("concurrency (closed loop) and rate (open loop) exclude each other: pick one",
                both.getMessage());
        SettingException modeWithClients = mistake(b -> {
            b.concurrency = 4;
            b.mode = ArrivalSpec.Mode.POISSON;
        });
        assertEquals("arrival", modeWithClients.setting());
        assertEquals("arrival poisson does not go with concurrency: N closed-loop clients send as their previous "
                + "records return", modeWithClients.getMessage());
        SettingException burstWithRate = mistake(b -> {
            b.rate = 10.0;
            b.mode = ArrivalSpec.Mode.BURST;
        });
        assertEquals("arrival", burstWithRate.setting());
        assertEquals("arrival burst does not go with rate: use arrival constant or poisson",
                burstWithRate.getMessage());
        for (ArrivalSpec.Mode open : new ArrivalSpec.Mode[] {ArrivalSpec.Mode.CONSTANT, ArrivalSpec.Mode.POISSON}) {
            SettingException e = mistake(b -> b.mode = open);
            assertEquals("arrival", e.setting());
            assertEquals("arrival " + open.label() + " needs rate PER_SECOND", e.getMessage());
        }
    }

    @Test
    void theSpecsThemselvesRefuseWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSpec.ClosedLoop(0));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSpec.OpenLoop(0, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new ArrivalSpec.OpenLoop(Double.POSITIVE_INFINITY, true, 1));
        assertEquals("poisson", ArrivalSpec.Mode.POISSON.toString());
    }
}
