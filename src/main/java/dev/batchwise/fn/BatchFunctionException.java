package dev.batchwise.fn;

/**
 * A batch call failed for a reason the function can put in words for the user (a model that rejects
 * its input, say). The pipeline reports the message as is; other exceptions are reported with their
 * type.
 */
public class BatchFunctionException extends Exception {
    public BatchFunctionException(String message, Throwable cause) {
        super(message, cause);
    }
}
