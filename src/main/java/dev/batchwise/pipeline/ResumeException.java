package dev.batchwise.pipeline;

/**
 * A run cannot resume: the input does not hold the records the output says were done. Nothing has
 * been run or written. The message is for the user.
 */
public class ResumeException extends Exception {
    public ResumeException(String message) {
        super(message);
    }
}
