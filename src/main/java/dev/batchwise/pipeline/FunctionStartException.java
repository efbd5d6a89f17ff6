package dev.batchwise.pipeline;

/** The function could not be made or loaded (a model file that will not load, say). The message is for the user. */
public class FunctionStartException extends Exception {
    public FunctionStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
