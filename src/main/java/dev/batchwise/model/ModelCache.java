package dev.batchwise.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The directory where model files and native libraries are extracted from their jars, once, so that
 * later runs start without copying them again.
 *
 * <p>Files are written under a temporary name in the same directory and renamed into place, so two
 * runs extracting at once cannot leave a half-written file for a third to load: each sees either no
 * file or a whole one.
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
     * The path of {@code relative} in the cache, copying the class path {@code resource} there first
     * unless a complete copy is there already (same size as the resource).
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
        long size = connection.getContentLengthLong();
        if (Files.isRegularFile(target) && (size < 0 || Files.size(target) == size)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
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
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(partial)) {
                content.writeTo(out);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }
}
