package dev.batchwise.util;

/**
 * A checked failure told as a {@link Phrase}: its message names settings by their keys, and a front
 * end renders the phrase with its own names. The phrase is not serialized; the message is.
 */
public class PhrasedException extends Exception implements Phrased {

    private final transient Phrase phrase;

    /** @param cause the failure behind this one, or {@code null} */
    public PhrasedException(Phrase phrase, Throwable cause) {
        super(phrase.toString(), cause);
        this.phrase = phrase;
    }

    @Override
    public final Phrase phrase() {
        return phrase;
    }
}
