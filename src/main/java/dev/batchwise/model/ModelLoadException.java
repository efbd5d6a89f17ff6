package dev.batchwise.model;

import dev.batchwise.fn.BatchFunctionException;

/** A model that cannot be found or loaded, with a message for the user saying which file and what to do. */
public class ModelLoadException extends BatchFunctionException {
    public ModelLoadException(String message) {
        super(message, null);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
