package dev.batchwise.output;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.PhrasedException;

/**
 * A file the run writes cannot be written: its directory is missing or not writable, another run
 * holds it, the disk is full. The exit code of an output that cannot be written.
 */
public final class OutputException extends PhrasedException {

    public OutputException(Phrase phrase, Throwable cause) {
        super(phrase, cause);
    }
}
