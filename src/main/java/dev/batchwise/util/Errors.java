package dev.batchwise.util;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The one place that turns exceptions into text for the user, in three forms: an I/O error in the
 * words of the file system ({@link #describe}), the bare message ({@link #message}), and the type
 * with the message, for failures in code the user wrote ({@link #withType}).
 */
public final class Errors {

    private Errors() {}

    /** The message, or the exception's simple class name when it has none. */
    public static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * The innermost cause's message, first line only, or its simple class name when it has none:
     * where engines and image readers say what went wrong.
     */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = message(root);
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    /** {@code Type: message}, or the type alone when there is no message: for a function's own failures. */
    public static String withType(Throwable e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }

    public static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return message(e);
    }
}
