package dev.batchwise.model;

import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.Phrased;

/**
 * A model that cannot be found or loaded, with a message for the user saying which file and what to
 * do; the settings it names, each front end names its own way.
 */
public class ModelLoadException extends BatchFunctionException implements Phrased {

    private final transient Phrase phrase;

    public ModelLoadException(String message) {
        this(Phrase.text(message), null);
    }

    public ModelLoadException(String message, Throwable cause) {
        this(Phrase.text(message), cause);
    }

    public ModelLoadException(Phrase phrase, Throwable cause) {
        super(phrase.toString(), cause);
        this.phrase = phrase;
    }

    @Override
    public Phrase phrase() {
        return phrase;
    }
}
