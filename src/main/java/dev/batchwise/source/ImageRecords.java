package dev.batchwise.source;

import java.nio.file.Files;

/**
 * What the run layer needs to know of image records: their one field, and which inputs are read as
 * pictures (a directory, a glob that names no existing file, a file with an image's name), one
 * record per picture.
 */
public final class ImageRecords {

    /** The field that holds a picture's path, as the user would write it; the natural id of its line. */
    public static final String FIELD = "image";

    private ImageRecords() {}

    /**
     * Whether {@code input} will be read as pictures rather than as lines of data: a directory (one
     * without image files is refused when it is opened), a glob that names no existing file, or a
     * file whose name ends in an image extension. Looks at names and file types only.
     */
    public static boolean isImageInput(Input input) {
        if (input.isStdin()) {
            return false;
        }
        if (Files.isDirectory(input.path())) {
            return true;
        }
        if (!Files.exists(input.path())) {
            return ImageFiles.isGlob(input.name());
        }
        return ImageFiles.isImageName(input.path().getFileName().toString());
    }

    /**
     * Whether {@code input} is read as pictures and holds at least one: a directory or glob with an
     * image file in it (looked for until the first is found), or an image file. {@code false} when
     * it cannot be listed: reading it says why.
     */
    public static boolean holdsPictures(Input input) {
        if (!isImageInput(input)) {
            return false;
        }
        try {
            if (Files.isDirectory(input.path())) {
                return ImageFiles.directory(input.path(), input.name()).next() != null;
            }
            if (!Files.exists(input.path())) {
                return ImageFiles.glob(input.name()).next() != null;
            }
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
