package dev.batchwise.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;

/**
 * The directory where model files and native libraries are extracted from their jars, once, so that
 * later runs start without copying them again.
 *
 * <p>Files are written under a temporary name in the same directory and renamed into place, so two
 * runs extracting at once cannot leave a half-written file for a third to load: each sees either no
 * file or a whole one. What is there is checked by content before it is used ({@link #extract}).
 */
public final class ModelCache {

    private final Path root;

    public ModelCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /**
     * The default location: {@code $BATCHWISE_CACHE_DIR}, else {@code $XDG_CACHE_HOME/batchwise}, else
     * {@code ~/.cache/batchwise}, {@code ~} being {@link #home}.
     */
    public static Path defaultRoot(Map<String, String> env) {
        String own = env.get("BATCHWISE_CACHE_DIR");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "batchwise");
        }
        return Path.of(home(env), ".cache", "batchwise");
    }

    /**
     * The home directory, by the one rule batchwise's launcher follows too (for the start-up
     * archive): {@code $HOME} when set and not empty, as the shell and the XDG directories take it,
     * else the password database's entry ({@code user.home}).
     */
    public static String home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && !home.isBlank() ? home : System.getProperty("user.home");
    }

    public Path root() {
        return root;
    }

    /**
     * An I/O error met in the cache, for the user: the file, and the file system's reason ("permission
     * denied", "Not a directory"), which an {@link java.nio.file.AccessDeniedException}'s own message
     * leaves out.
     */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + dev.batchwise.util.Errors.describe(e);
        }
        return dev.batchwise.util.Errors.message(e);
    }

    /**
     * The path of {@code relative} in the cache, copying the class path {@code resource} there first
     * unless a copy with the same content is there already.
     *
     * <p>The content is checked on every call, by CRC-32 against the jar entry's (read from the jar's
     * directory; for a resource outside a jar, computed from the resource): a cached file that was
     * damaged, even to the same size, is extracted again. So is one that cannot be read, or that is
     * not a regular file (a planted link is replaced, never followed). The new copy is written to a
     * fresh temporary file, created exclusively (never through a link) in the same directory, and
     * renamed into place; temporary files that killed extractions left in that directory are deleted
     * ({@link #removeAbandonedTemps}).
     *
     * @throws IOException when the resource is not on the class path or the cache cannot be written
     */
    public Path extract(String resource, String relative) throws IOException {
        URL url = ModelCache.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException("'" + resource + "' is not on the class path; is the model's jar missing from lib/?");
        }
        Path target = root.resolve(relative);
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        long expectedCrc = expectedCrc(connection, url);
        removeAbandonedTemps(target.getParent());
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && crcOf(target) == expectedCrc) {
            if (connection instanceof JarURLConnection jar) {
                jar.getJarFile().close(); // not cached (setUseCaches(false)): this connection's own
            }
            return target;
        }
        Files.createDirectories(target.getParent());
        try (Temp temp = Temp.create(target)) {
            CRC32 crc = new CRC32();
            try (InputStream in = connection.getInputStream()) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                    temp.out.write(buffer, 0, n);
                }
            }
            temp.out.flush();
            if (crc.getValue() != expectedCrc) {
                throw new IOException("'" + resource + "' read back with another checksum than its jar entry's; "
                        + "the jar is damaged");
            }
            moveIntoPlace(temp.path, target);
        }
        return target;
    }

    /** Renames a finished temporary file onto its name, atomically where the file system can. */
    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        dev.batchwise.util.FilePaths.moveIntoPlace(partial, target);
    }

    /** Writes the content of a derived cache file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The path of {@code relative} in the cache, writing it with {@code content} first unless it is
     * there already. For files made from other files (a rewritten model): {@code relative} must name
     * what the file was made from (a content digest), since a file that is there is never made again.
     * Written under a temporary name and renamed into place, as {@link #extract} writes.
     */
    public Path derive(String relative, Content content) throws IOException {
        Path target = root.resolve(relative);
        removeAbandonedTemps(target.getParent());
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        try (Temp temp = Temp.create(target)) {
            content.writeTo(temp.out);
            temp.out.flush();
            moveIntoPlace(temp.path, target);
        }
        return target;
    }

    /** The CRC-32 the resource's content has: its jar entry's, or, outside a jar, computed. */
    private static long expectedCrc(URLConnection connection, URL url) throws IOException {
        if (connection instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            if (entry != null && entry.getCrc() >= 0) {
                return entry.getCrc();
            }
        }
        URLConnection again = url.openConnection();
        again.setUseCaches(false);
        try (InputStream in = again.getInputStream()) {
            return crcOf(in);
        }
    }

    /** The CRC-32 of a cached file, or -1 when it cannot be read (it is then extracted again). */
    private static long crcOf(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return crcOf(in);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long crcOf(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            crc.update(buffer, 0, n);
        }
        return crc.getValue();
    }

    /**
     * A temporary file being written: created exclusively beside its target (never through a link),
     * and locked by this process until it is closed, so that another run can tell it from one that a
     * killed run left behind (the lock dies with its process). Closing deletes it unless it was moved
     * into place.
     */
    private static final class Temp implements AutoCloseable {
        final Path path;
        final OutputStream out;
        private final FileChannel channel;

        private Temp(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
            this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        }

        static Temp create(Path target) throws IOException {
            while (true) {
                Path path = dev.batchwise.util.FilePaths.createBeside(target, TEMP_SUFFIX);
                FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                try {
                    channel.lock();
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                        return new Temp(path, channel);
                    }
                    // another run's sweep took it for abandoned between its creation and the lock: again
                } catch (IOException | RuntimeException e) {
                    channel.close();
                    Files.deleteIfExists(path);
                    throw e;
                }
                channel.close();
            }
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close(); // the lock goes with it
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }

    private static final String TEMP_SUFFIX = ".partial";

    /**
     * Deletes the temporary files in {@code dir} that extractions killed midway left behind: those no
     * process holds a lock on. Called at every extraction, so a later run removes them whatever it
     * extracts.
     */
    static void removeAbandonedTemps(Path dir) {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                if (!Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(t, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    FileLock lock = channel.tryLock();
                    if (lock != null) { // no live extraction holds it
                        Files.deleteIfExists(t);
                    }
                } catch (OverlappingFileLockException e) {
                    // this process is writing it
                } catch (IOException e) {
                    // another run removed it, or it is not ours to remove: leave it
                }
            }
        } catch (IOException e) {
            // cannot list: extraction goes on, and fails there if the directory is unusable
        }
    }
}
