package dev.batchwise.run;

import dev.batchwise.pipeline.Outcome;

/**
 * The exit status of a command that ran to an outcome: the one place that decides it from how a run,
 * a sweep or a comparison ended. (A command that fails before its outcome has the code of its failure:
 * {@link ExitCodes#of}.)
 */
public final class ExitStatus {

    private ExitStatus() {}

    /**
     * The exit status of a run.
     *
     * @param ending how the run ended
     * @param failedRecords records written with an error
     * @param signalExitCode the code the stop signal implies (130, 143), or 0 when none came
     * @param brokenPipe whether standard output was closed by its reader
     * @param expectRecords the records the output must hold, or {@code null}
     * @param recordsInOutput the records the output holds (with those a resumed run found done)
     * @param functionNotClosed whether the function's {@code close()} did not return in time (the run
     *     is otherwise complete)
     * @return {@link ExitCodes#OK}, {@link ExitCodes#RECORDS_FAILED}, and so on
     */
    public static int of(Outcome.Ending ending, long failedRecords, int signalExitCode, boolean brokenPipe,
            Long expectRecords, long recordsInOutput, boolean functionNotClosed) {
        if (ending == Outcome.Ending.COMPLETED && functionNotClosed) {
            // every record is written and the output committed, but the function did not close
            return signalExitCode != 0 ? signalExitCode : ExitCodes.FUNCTION;
        }
        int code = switch (ending) {
            case COMPLETED -> failedRecords > 0 ? ExitCodes.RECORDS_FAILED : ExitCodes.OK;
            case STOPPED -> signalExitCode != 0 ? signalExitCode : ExitCodes.INTERRUPTED;
            case STOPPED_AT_FAILURE -> ExitCodes.RECORDS_FAILED;
            case INPUT_FAILED -> ExitCodes.INPUT;
            case OUTPUT_FAILED -> brokenPipe ? ExitCodes.OUTPUT_CLOSED : ExitCodes.OUTPUT;
        };
        if (expectRecords != null && recordsInOutput != expectRecords
                && (code == ExitCodes.OK || code == ExitCodes.RECORDS_FAILED)) {
            return ExitCodes.UNEXPECTED_COUNT;
        }
        return code;
    }

    /**
     * The exit status of a sweep ({@code batchwise bench}).
     *
     * @param pointTimedOut whether a point timed out and ended the sweep
     * @param recordsFailed whether records failed in a point
     * @param sloMissed whether an SLO was given and no stable point meets it
     */
    public static int ofSweep(boolean pointTimedOut, boolean recordsFailed, boolean sloMissed) {
        return ofSweep(pointTimedOut, recordsFailed, sloMissed, false);
    }

    /**
     * The exit status of a sweep whose recommendation may be unconfirmed.
     *
     * @param unconfirmed whether a setting was recommended that is not stable
     */
    public static int ofSweep(boolean pointTimedOut, boolean recordsFailed, boolean sloMissed, boolean unconfirmed) {
        if (pointTimedOut) {
            return ExitCodes.POINT_TIMED_OUT;
        }
        if (recordsFailed) {
            return ExitCodes.RECORDS_FAILED;
        }
        if (sloMissed) {
            return ExitCodes.NO_SETTING_MEETS_SLO;
        }
        return unconfirmed ? ExitCodes.UNCONFIRMED : ExitCodes.OK;
    }

    /**
     * The exit status of a sweep stopped by a signal: the signal's code (130, 143), whatever the points
     * measured before it show; the files hold those points.
     *
     * @param signalExitCode the code the stop signal implies, or 0 when none came
     * @param unconfirmed whether a setting was recommended that is not stable
     */
    public static int ofSweep(int signalExitCode, boolean pointTimedOut, boolean recordsFailed, boolean sloMissed,
            boolean unconfirmed) {
        return signalExitCode != 0 ? signalExitCode : ofSweep(pointTimedOut, recordsFailed, sloMissed, unconfirmed);
    }

    /** The exit status of a comparison of two sweeps: whether a point of the second is slower than allowed. */
    public static int ofComparison(boolean slower) {
        return slower ? ExitCodes.SLOWER : ExitCodes.OK;
    }
}
