package dev.batchwise.source;

import java.nio.file.Path;

/** One input as the user named it: a file, or standard input ({@code -}). */
public record Input(String name, Path path) {

    public static final String STDIN_NAME = "<stdin>";

    public static Input stdin() {
        return new Input(STDIN_NAME, null);
    }

    public static Input of(String arg) {
        return "-".equals(arg) ? stdin() : new Input(arg, Path.of(arg));
    }

    public boolean isStdin() {
        return path == null;
    }

    /**
     * Whether the input can be opened again from its start: a regular file. Standard input, a named
     * pipe or a process substitution ({@code <(zcat ...)}) cannot: what is read from them is gone.
     */
    public boolean canReopen() {
        return path != null && java.nio.file.Files.isRegularFile(path);
    }
}
