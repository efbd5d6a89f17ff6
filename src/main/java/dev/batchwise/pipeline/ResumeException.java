package dev.batchwise.pipeline;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.PhrasedException;

/**
 * An unfinished output cannot be continued: it was not written by this command on these inputs, or
 * the inputs do not hold the records it says are done. The exit code of a usage error; the message
 * says why, and how to start over.
 */
public class ResumeException extends PhrasedException {

    public ResumeException(Phrase phrase) {
        super(phrase, null);
    }
}
