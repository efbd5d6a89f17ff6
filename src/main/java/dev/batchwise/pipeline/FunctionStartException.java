package dev.batchwise.pipeline;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;

/**
 * The function or model cannot be set up, loaded or started: a message for the user (the settings it
 * names, each front end names its own way) and the exit code of a function that cannot be loaded.
 */
public class FunctionStartException extends Exception implements Phrased {

    private final transient Phrase phrase;

    public FunctionStartException(String message, Throwable cause) {
        this(Phrase.text(message), cause);
    }

    public FunctionStartException(Phrase phrase, Throwable cause) {
        super(phrase.toString(), cause);
        this.phrase = phrase;
    }

    /** The failure {@code cause} says, in its own words. */
    public <T extends Exception & Phrased> FunctionStartException(T cause) {
        this(cause.phrase(), cause);
    }

    @Override
    public Phrase phrase() {
        return phrase;
    }
}
