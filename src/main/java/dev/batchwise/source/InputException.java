package dev.batchwise.source;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.PhrasedException;

/**
 * An input that cannot be read as a whole: missing, a directory, not readable, an I/O error, or a
 * broken header. The message is for the user and names the input (and line, where there is one).
 * Bad single records are not exceptions: they become failed records and the run goes on.
 */
public class InputException extends PhrasedException {

    public InputException(String message) {
        super(Phrase.text(message), null);
    }

    public InputException(String message, Throwable cause) {
        super(Phrase.text(message), cause);
    }

    /** An input that cannot be read, for a reason that names settings. */
    public InputException(Phrase phrase) {
        super(phrase, null);
    }
}
