package dev.batchwise.pipeline;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;

/**
 * An unfinished output cannot be continued: it was not written by this command on these inputs, or
 * the inputs do not hold the records it says are done. The exit code of a usage error; the message
 * says why, and how to start over.
 */
public class ResumeException extends Exception implements Phrased {

    private final transient Phrase phrase;

    public ResumeException(Phrase phrase) {
        super(phrase.toString());
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase;
    }
}
