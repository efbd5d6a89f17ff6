package dev.batchwise.util;

import java.util.List;
import java.util.Locale;

/** A file format named by the endings of file names: the formats read and the formats written. */
public interface FileFormat {

    /** The format's constant name; an enum's {@code name()}. */
    String name();

    /** The lower-case endings of file names that imply this format, dot included. */
    List<String> suffixes();

    /** The lower-case name users type and read, in help, completion and messages. */
    default String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The format of {@code formats} that a file name implies, or {@code null} when the name does not
     * say. Case does not matter; a {@code .gz} ending is looked past when {@code gzipped} allows it.
     */
    static <F extends FileFormat> F fromFileName(String name, F[] formats, boolean gzipped) {
        String n = name.toLowerCase(Locale.ROOT);
        if (gzipped && n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        for (F format : formats) {
            for (String suffix : format.suffixes()) {
                if (n.endsWith(suffix)) {
                    return format;
                }
            }
        }
        return null;
    }
}
