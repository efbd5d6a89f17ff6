package dev.batchwise.run;

import dev.batchwise.pipeline.Outcome;

/** The exit status of a run: the one place that decides it from how the run ended. */
public final class ExitStatus {

    private ExitStatus() {}

    /**
     * @param ending how the run ended
     * @param failedRecords records written with an error
     * @param signalExitCode the code the stop signal implies (130, 143), or 0 when none came
     * @param brokenPipe whether standard output was closed by its reader
     * @param expectRecords the records the output must hold, or {@code null}
     * @param recordsInOutput the records the output holds (with those a resumed run found done)
     * @return {@link ExitCodes#OK}, {@link ExitCodes#RECORDS_FAILED}, and so on
     */
    public static int of(Outcome.Ending ending, long failedRecords, int signalExitCode, boolean brokenPipe,
            Long expectRecords, long recordsInOutput) {
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
}
