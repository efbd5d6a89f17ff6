package dev.batchwise.fn;

/**
 * A function failed, to start or on a batch, for a reason it can put in words for the user (a model
 * file that will not load, a model that rejects its input). The pipeline reports the message as is;
 * other exceptions are reported with their type.
 */
public class BatchFunctionException extends Exception {
    public BatchFunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
