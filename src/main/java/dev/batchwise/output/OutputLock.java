package dev.batchwise.output;

import dev.batchwise.util.Phrase;

import dev.batchwise.util.Errors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive claim of a run on its {@code FILE.partial}: an operating-system lock on
 * {@code FILE.partial.lock}, so it ends with the process however that ends (a kill -9 leaves no
 * stale lock; the file may stay, unlocked, and the next run takes it).
 *
 * <p>Invariant: only the holder of the lock on the file at the lock's path removes that path (at
 * {@link #close}, still holding it); so a run that locked a file verifies, by its file key, that
 * the path still names it, else it locked a file that a run ending just then removed, and tries again.
 * The file is opened without following a link ({@code O_NOFOLLOW}) and never truncated or read.
 *
 * <p>A process holds at most one descriptor of a lock file: closing a second would drop the POSIX
 * lock of the first, so runs in one JVM are kept apart by {@link #HELD} before the file is opened.
 */
final class OutputLock implements AutoCloseable {

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 5;

    private final Path path;
    private final Path heldKey;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path path, Path heldKey, FileChannel channel, FileLock lock) {
        this.path = path;
        this.heldKey = heldKey;
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockOf(Path partial) {
        return partial.resolveSibling(partial.getFileName() + ".lock");
    }

    /**
     * Takes the lock of {@code -o file}, or refuses at once.
     *
     * @throws OutputException when another run holds it, or the lock file cannot be created
     */
    static OutputLock acquire(Path file, Path partial) throws OutputException {
        Path path = lockOf(partial);
        Path heldKey = heldKey(path);
        if (!HELD.add(heldKey)) {
            throw held(file, partial, path);
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Object before = fileKey(path);
                FileChannel channel;
                try {
                    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    throw new OutputException(Phrase.of("cannot create %s, the lock of {output<} %s: %s%s", path, file,
                            Errors.describe(e), Files.isSymbolicLink(path) ? " (it is a symbolic link, which a run "
                            + "never follows; remove it)" : ""), e);
                }
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (IOException | OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    closeQuietly(channel);
                    throw held(file, partial, path);
                }
                if (before != null && before.equals(fileKey(path))) {
                    OutputLock taken = new OutputLock(path, heldKey, channel, lock);
                    heldKey = null; // owned by taken now
                    return taken;
                }
                closeQuietly(channel); // created just now, or removed by a run that ended: look again
            }
            throw new OutputException(Phrase.of("cannot take the lock %s of {output<} %s: it keeps being replaced",
                    path, file), null);
        } finally {
            if (heldKey != null) {
                HELD.remove(heldKey);
            }
        }
    }

    /** Removes the lock file, then releases the lock; idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // an unlocked lock file left behind holds nothing: the next run takes it
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        HELD.remove(heldKey);
    }

    private static OutputException held(Path file, Path partial, Path lock) {
        return new OutputException(Phrase.of("another run is writing {output<} %s (it holds %s while it writes %s); "
                + "wait for it to end, or give another {output<}", file, lock, partial), null);
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Path heldKey(Path lock) {
        Path abs = lock.toAbsolutePath();
        return abs.getParent() == null ? abs : dev.batchwise.util.FilePaths.resolved(abs.getParent())
                .resolve(abs.getFileName());
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
