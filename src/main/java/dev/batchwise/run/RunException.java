package dev.batchwise.run;

import dev.batchwise.util.Errors;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;
import dev.batchwise.util.PhrasedException;

/**
 * A run that cannot start or go on, for a reason the user can act on: a message of one line (what,
 * where, what to do) and the failure that caused it, which decides the exit code
 * ({@link ExitCodes#of}). No stack trace is shown for it.
 */
public final class RunException extends PhrasedException {

    /** A failure in the words of its cause. */
    public RunException(Exception cause) {
        super(cause instanceof Phrased p ? p.phrase() : Phrase.text(Errors.message(cause)), cause);
    }

    /** A failure in words of its own; its cause decides the exit code (none: an internal failure). */
    public RunException(Phrase phrase, Throwable cause) {
        super(phrase, cause);
    }

    /** The exit code the failure gives the run. */
    public int exitCode() {
        return ExitCodes.of(this);
    }
}
