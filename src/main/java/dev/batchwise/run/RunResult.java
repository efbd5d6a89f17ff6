package dev.batchwise.run;

import dev.batchwise.pipeline.Outcome;

/**
 * How a run ended and what it exits with.
 *
 * @param outcome the pipeline's outcome: the ending, the stats, the records read and written
 * @param exitCode the process exit status ({@link ExitCodes})
 * @param message what the user is told about the ending, or {@code null} for nothing (a completed
 *     run, or a reader that closed the pipe)
 * @param recordsInOutput the records the output holds, with those a resumed run found done
 */
public record RunResult(Outcome outcome, int exitCode, String message, long recordsInOutput) {}
