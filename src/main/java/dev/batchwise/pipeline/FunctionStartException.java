package dev.batchwise.pipeline;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;
import dev.batchwise.util.PhrasedException;

/**
 * The function or model cannot be set up, loaded or started: a message for the user (the settings it
 * names, each front end names its own way) and the exit code of a function that cannot be loaded.
 */
public class FunctionStartException extends PhrasedException {

    public FunctionStartException(String message, Throwable cause) {
        super(Phrase.text(message), cause);
    }

    public FunctionStartException(Phrase phrase, Throwable cause) {
        super(phrase, cause);
    }

    /** The failure {@code cause} says, in its own words. */
    public <T extends Exception & Phrased> FunctionStartException(T cause) {
        super(cause.phrase(), cause);
    }
}
