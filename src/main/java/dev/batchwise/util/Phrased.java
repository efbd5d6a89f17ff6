package dev.batchwise.util;

/**
 * A failure whose message names settings of the run: the front end that prints it names them its
 * own way ({@link Phrase#render}); {@link Throwable#getMessage()} names them by their keys.
 */
public interface Phrased {
    Phrase phrase();
}
