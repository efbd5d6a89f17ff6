package dev.batchwise.pipeline;

/**
 * The input mapping does not fit the function or the inputs (a column an input lacks, a parameter
 * the function does not have). A usage error: nothing has run. The message is for the user.
 */
public class MappingException extends Exception {
    public MappingException(String message) {
        super(message);
    }
}
