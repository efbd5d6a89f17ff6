package dev.batchwise.pipeline;

/** What a failed record does to the run ({@code --on-error}). */
public enum OnError {
    /** The record's output line carries its error; the run goes on (exit code 1 at the end). */
    CONTINUE,
    /** The first failed record stops the reading; what was read before it runs and is written (exit code 1). */
    STOP
}
