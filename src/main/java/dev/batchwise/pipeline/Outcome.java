package dev.batchwise.pipeline;

import dev.batchwise.stats.RunStats;

/**
 * How a run ended.
 *
 * @param written records written to the output in this run: with the records a resumed run skipped,
 *     the contiguous prefix of the input
 * @param read records read from the inputs in this run, not counting those a resumed run skipped
 * @param message for an ending other than {@link Ending#COMPLETED}, what happened, for the user
 */
public record Outcome(Ending ending, RunStats stats, long read, long written, String message) {

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
}
