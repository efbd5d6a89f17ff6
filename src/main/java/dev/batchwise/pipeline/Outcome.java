package dev.batchwise.pipeline;

import dev.batchwise.stats.RunStats;

/**
 * How a run ended.
 *
 * @param written records written to the output: the contiguous prefix of the input
 * @param read records read from the inputs
 * @param message for an ending other than {@link Ending#COMPLETED}, what happened, for the user
 */
public record Outcome(Ending ending, RunStats stats, long read, long written, String message) {

    public enum Ending {
        /** Every record read was run and written (some may have failed). */
        COMPLETED,
        /** Stopped on request (a signal); the output holds a contiguous prefix. */
        STOPPED,
        /** An input failed mid-way; records before the failure were run and written. */
        INPUT_FAILED,
        /** The output could not be written. */
        OUTPUT_FAILED
    }
}
