package dev.batchwise.sink;

/**
 * A value a function returned that the output format cannot hold: an object the JSON mapper cannot
 * serialise, or, for CSV, text with a lone surrogate (which UTF-8 cannot encode). The record fails
 * alone, with code {@code unwritable_output}; the run goes on.
 */
public final class UnwritableValueException extends Exception {

    public UnwritableValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
