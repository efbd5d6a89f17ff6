package dev.batchwise.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.pipeline.Outcome.Ending;
import org.junit.jupiter.api.Test;

/** The exit status as the README documents it, from how the run ended. */
class ExitStatusTest {

    @Test
    void aCompletedRunExits0UnlessARecordFailed() {
        assertEquals(0, ExitStatus.of(Ending.COMPLETED, 0, 0, false, null, 10, false));
        assertEquals(1, ExitStatus.of(Ending.COMPLETED, 3, 0, false, null, 10, false));
    }

    @Test
    void aStoppedRunExitsWithTheCodeOfItsSignal() {
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 0, false, null, 4, false));
        assertEquals(143, ExitStatus.of(Ending.STOPPED, 0, 143, false, null, 4, false));
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 130, false, null, 4, false));
    }

    @Test
    void aStopAtTheFirstFailureExits1() {
        assertEquals(1, ExitStatus.of(Ending.STOPPED_AT_FAILURE, 1, 0, false, null, 5, false));
    }

    @Test
    void inputAndOutputFailuresHaveTheirOwnCodes() {
        assertEquals(3, ExitStatus.of(Ending.INPUT_FAILED, 0, 0, false, null, 5, false));
        assertEquals(4, ExitStatus.of(Ending.OUTPUT_FAILED, 0, 0, false, null, 5, false));
        assertEquals(141, ExitStatus.of(Ending.OUTPUT_FAILED, 0, 0, true, null, 5, false), "a reader that closed the pipe");
    }

    @Test
    void aFunctionThatDidNotCloseExits5ThoughTheOutputIsComplete() {
        assertEquals(5, ExitStatus.of(Ending.COMPLETED, 0, 0, false, null, 10, true));
        assertEquals(5, ExitStatus.of(Ending.COMPLETED, 0, 0, false, 11L, 10, true), "it outranks the count");
        assertEquals(143, ExitStatus.of(Ending.COMPLETED, 0, 143, false, null, 10, true), "a signal's code stands");
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 0, false, null, 10, true), "only a completed run");
    }

    @Test
    void aSweepAndAComparisonExitAsTheirOutcomeSays() {
        assertEquals(9, ExitStatus.ofSweep(true, true, true), "a timed-out point first");
        assertEquals(1, ExitStatus.ofSweep(false, true, true), "then failed records");
        assertEquals(8, ExitStatus.ofSweep(false, false, true));
        assertEquals(0, ExitStatus.ofSweep(false, false, false));
        assertEquals(10, ExitStatus.ofSweep(false, false, false, true), "a recommendation not confirmed");
        assertEquals(8, ExitStatus.ofSweep(false, false, true, true), "every other outcome outranks it");
        assertEquals(1, ExitStatus.ofSweep(false, true, false, true));
        assertEquals(9, ExitStatus.ofSweep(true, false, false, true));
        assertEquals(7, ExitStatus.ofComparison(true));
        assertEquals(0, ExitStatus.ofComparison(false));
    }

    @Test
    void anOutputWithOtherThanTheExpectedRecordsExits6() {
        assertEquals(6, ExitStatus.of(Ending.COMPLETED, 0, 0, false, 11L, 10, false));
        assertEquals(6, ExitStatus.of(Ending.COMPLETED, 2, 0, false, 11L, 10, false), "it outranks failed records");
        assertEquals(0, ExitStatus.of(Ending.COMPLETED, 0, 0, false, 10L, 10, false));
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 0, false, 11L, 10, false), "a stopped run is short anyway");
        assertEquals(3, ExitStatus.of(Ending.INPUT_FAILED, 0, 0, false, 11L, 10, false));
    }
}
