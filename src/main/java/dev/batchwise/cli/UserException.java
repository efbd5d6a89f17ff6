package dev.batchwise.cli;

/** A failure the user can act on: printed as one line, no stack trace, with its exit code. */
final class UserException extends RuntimeException {
    private final int exitCode;

    UserException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    UserException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    int exitCode() {
        return exitCode;
    }
}
