package dev.batchwise.image;

/**
 * An image file that cannot be used: missing, empty, not an image, a format that cannot be read,
 * damaged or truncated, or larger than the pixel limit. The message names the file and says what is
 * wrong, in one line. Unchecked, and an {@link IllegalArgumentException}, so that a record whose
 * image fails while it is prepared fails alone, as bad input.
 */
public final class ImageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file the file as the record names it
     * @param problem what is wrong, without the file
     */
    public ImageException(String file, String problem) {
        super(file + ": " + problem);
    }

    public ImageException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
