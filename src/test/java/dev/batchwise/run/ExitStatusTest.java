package dev.batchwise.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.pipeline.Outcome.Ending;
import org.junit.jupiter.api.Test;

/** The exit status as the README documents it, from how the run ended. */
class ExitStatusTest {

    @Test
    void aCompletedRunExits0UnlessARecordFailed() {
        assertEquals(0, ExitStatus.of(Ending.COMPLETED, 0, 0, false, null, 10));
        assertEquals(1, ExitStatus.of(Ending.COMPLETED, 3, 0, false, null, 10));
    }

    @Test
    void aStoppedRunExitsWithTheCodeOfItsSignal() {
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 0, false, null, 4));
        assertEquals(143, ExitStatus.of(Ending.STOPPED, 0, 143, false, null, 4));
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 130, false, null, 4));
    }

    @Test
    void aStopAtTheFirstFailureExits1() {
        assertEquals(1, ExitStatus.of(Ending.STOPPED_AT_FAILURE, 1, 0, false, null, 5));
    }

    @Test
    void inputAndOutputFailuresHaveTheirOwnCodes() {
        assertEquals(3, ExitStatus.of(Ending.INPUT_FAILED, 0, 0, false, null, 5));
        assertEquals(4, ExitStatus.of(Ending.OUTPUT_FAILED, 0, 0, false, null, 5));
        assertEquals(141, ExitStatus.of(Ending.OUTPUT_FAILED, 0, 0, true, null, 5), "a reader that closed the pipe");
    }

    @Test
    void anOutputWithOtherThanTheExpectedRecordsExits6() {
        assertEquals(6, ExitStatus.of(Ending.COMPLETED, 0, 0, false, 11L, 10));
        assertEquals(6, ExitStatus.of(Ending.COMPLETED, 2, 0, false, 11L, 10), "it outranks failed records");
        assertEquals(0, ExitStatus.of(Ending.COMPLETED, 0, 0, false, 10L, 10));
        assertEquals(130, ExitStatus.of(Ending.STOPPED, 0, 0, false, 11L, 10), "a stopped run is short anyway");
        assertEquals(3, ExitStatus.of(Ending.INPUT_FAILED, 0, 0, false, 11L, 10));
    }
}
