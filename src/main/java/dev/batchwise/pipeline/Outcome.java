package dev.batchwise.pipeline;

import dev.batchwise.result.Result;
import dev.batchwise.source.InputException;
import dev.batchwise.stats.RunStats;
import dev.batchwise.util.Phrase;
import java.io.IOException;

/**
 * How a run ended.
 *
 * @param stats the run's stats; for a resumed run its record counts are the whole output's, the
 *     records found done included ({@link RunStats#withCarriedOver}, applied where the pipeline makes
 *     them): the exit status, the stats report and the summary all read them from here
 * @param written records written to the output in this run: with the records a resumed run skipped,
 *     the contiguous prefix of the input
 * @param read records read from the inputs in this run, not counting those a resumed run skipped
 * @param message for an ending other than {@link Ending#COMPLETED}, what happened, for the user
 */
public record Outcome(Ending ending, RunStats stats, long read, long written, Phrase message) {

    public enum Ending {
        /** Every record read was run and written (some may have failed). */
        COMPLETED,
        /** Stopped on request (a signal); the output holds a contiguous prefix. */
        STOPPED,
        /**
         * Stopped at the first failed record ({@code --on-error stop}): no more records were read, those
         * read before it were run, and the output holds a contiguous prefix up to it at least.
         */
        STOPPED_AT_FAILURE,
        /** An input failed mid-way; records before the failure were run and written. */
        INPUT_FAILED,
        /** The output could not be written. */
        OUTPUT_FAILED
    }

    /** A run stopped before any record ran; its stats count the records {@code resume} found done. */
    static Outcome stoppedBeforeRunning(String message, ResumePoint resume) {
        return new Outcome(Ending.STOPPED, RunStats.merge(java.util.List.of(), 0, 0, 0, 0, true, 0)
                .withCarriedOver(resume.recordsDone(), resume.failedDone()), 0, 0, Phrase.text(message));
    }

    /**
     * How a run that got going ended, in order of precedence: the output failed, a stop, a stop at the
     * first failure, an input that failed mid-way, or completed.
     *
     * @param writeError the output's first write error, or {@code null}
     * @param stopped the stop's ending, or {@code null} for none
     * @param firstFailure the first failed record written, or {@code null}
     * @param inputFailure an input's failure mid-way, or {@code null}
     */
    static Outcome of(RunStats stats, long read, long written, IOException writeError, Ending stopped,
            Result firstFailure, InputException inputFailure) {
        if (writeError != null) {
            return new Outcome(Ending.OUTPUT_FAILED, stats, read, written,
                    Phrase.of("cannot write the output: %s", Worker.describe(writeError)));
        }
        if (stopped == Ending.STOPPED) {
            return new Outcome(Ending.STOPPED, stats, read, written, Phrase.of("stopped after %s",
                    dev.batchwise.util.Human.count(written, "record")));
        }
        if (stopped == Ending.STOPPED_AT_FAILURE) {
            return new Outcome(Ending.STOPPED_AT_FAILURE, stats, read, written, firstFailure == null
                    ? Phrase.text("stopped at the first failure")
                    : Phrase.of("stopped at the first failure (record %s, %s): %s",
                            dev.batchwise.util.Human.number(firstFailure.seq()), firstFailure.origin(),
                            firstFailure.failure().phrase()));
        }
        if (inputFailure != null) {
            return new Outcome(Ending.INPUT_FAILED, stats, read, written, inputFailure.phrase());
        }
        return new Outcome(Ending.COMPLETED, stats, read, written, null);
    }
}
