package dev.batchwise.output;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;

/**
 * A file the run writes cannot be written: its directory is missing or not writable, another run
 * holds it, the disk is full. The exit code of an output that cannot be written.
 */
public final class OutputException extends Exception implements Phrased {

    private final transient Phrase phrase;

    public OutputException(Phrase phrase, Throwable cause) {
        super(phrase.toString(), cause);
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase;
    }
}
