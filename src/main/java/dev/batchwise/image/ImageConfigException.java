package dev.batchwise.image;

/** A {@code preprocessor_config.json} that cannot be used; the message names the file and the key. */
public final class ImageConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ImageConfigException(String message) {
        super(message);
    }

    public ImageConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
