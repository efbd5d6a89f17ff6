package dev.batchwise.source;

/**
 * An input that cannot be read as a whole: missing, a directory, not readable, an I/O error, or a
 * broken header. The message is for the user and names the input (and line, where there is one).
 * Bad single records are not exceptions: they become failed records and the run goes on.
 */
public class InputException extends Exception {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
