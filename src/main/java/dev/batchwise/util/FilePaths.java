package dev.batchwise.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Paths as the file system resolves them, and files written beside their target and renamed into
 * place: the rules every written path of batchwise follows.
 */
public final class FilePaths {

    /** Symbolic links followed in one resolution before it gives up, as the kernel's ELOOP limit. */
    private static final int MAX_LINKS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FilePaths() {}

    /**
     * The path the file system reaches for {@code p}: absolute, with each symbolic link resolved where
     * it stands and a {@code ..} after a link taken from the link's target (never lexically, as
     * {@link Path#normalize} does: {@code link/../x} is {@code x} beside the link's target, not beside
     * the link). For a path that does not exist (yet), its nearest existing ancestor resolved with the
     * rest of its names after it; a dangling link resolves to where it points.
     */
    public static Path resolved(Path p) {
        return resolved(p.toAbsolutePath(), 0);
    }

    private static Path resolved(Path abs, int links) {
        try {
            return abs.toRealPath();
        } catch (IOException | SecurityException e) {
            // it does not exist (or cannot be reached): resolve what does
        }
        Path parent = abs.getParent();
        if (parent == null) {
            return abs;
        }
        Path dir = resolved(parent, links);
        String name = abs.getFileName().toString();
        if (name.equals(".")) {
            return dir;
        }
        if (name.equals("..")) {
            return dir.getParent() == null ? dir : dir.getParent();
        }
        Path here = dir.resolve(name);
        if (links < MAX_LINKS && Files.isSymbolicLink(here)) {
            try {
                return resolved(dir.resolve(Files.readSymbolicLink(here)), links + 1);
            } catch (IOException e) {
                return here;
            }
        }
        return here;
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Creates a new, empty file beside {@code target}, named {@code .NAME.RANDOM} followed by
     * {@code suffix}: created exclusively (never through a link planted there), with the permissions
     * the process's umask gives a new file, as any file the user's programs create.
     */
    public static Path createBeside(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        while (true) {
            Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + suffix);
            try {
                Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS).close();
                return temp;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another file has that name: draw again
            }
        }
    }

    /**
     * Gives {@code file} the content {@code content} writes, without following a link at it or
     * truncating it: a fresh file beside it ({@link #createBeside}), renamed over it, atomically where
     * the file system can. If writing fails, {@code file} is as it was.
     */
    public static void replace(Path file, Content content) throws IOException {
        Path temp = createBeside(file, ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                content.writeTo(out);
            }
            moveIntoPlace(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames a finished file onto {@code target}, atomically where the file system can. */
    public static void moveIntoPlace(Path finished, Path target) throws IOException {
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
