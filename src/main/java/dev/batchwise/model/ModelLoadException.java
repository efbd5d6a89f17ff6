package dev.batchwise.model;

/** A model that cannot be found or loaded, with a message for the user saying which file and what to do. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
