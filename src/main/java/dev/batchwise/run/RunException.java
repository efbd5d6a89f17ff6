package dev.batchwise.run;

/**
 * A run that cannot start or go on, for a reason the user can act on: a message of one line (what,
 * where, what to do) and the exit code it ends with. No stack trace is shown for it.
 */
public final class RunException extends Exception {

    private final int exitCode;
    private final boolean optionMistake;

    private RunException(int exitCode, boolean optionMistake, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.optionMistake = optionMistake;
    }

    /** A failure with its exit code. */
    public RunException(int exitCode, String message, Throwable cause) {
        this(exitCode, false, message, cause);
    }

    /**
     * A mistake in the options (a bad value, a column the input lacks): exit 2, and a command line
     * shows it as a usage error, with where to find help.
     */
    public static RunException optionMistake(String message) {
        return new RunException(ExitCodes.USAGE, true, message, null);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Whether this is a mistake in the options rather than a failure met while running. */
    public boolean optionMistake() {
        return optionMistake;
    }
}
