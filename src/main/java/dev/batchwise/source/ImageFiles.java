package dev.batchwise.source;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The image files of a directory or a glob, one at a time, in a stable order: each directory's
 * entries sorted by name, a subdirectory's files where its name falls (depth first). Only the
 * listing of the directories on the current path is held, so memory grows with the largest
 * directory, not the tree.
 *
 * <p>Hidden entries (names starting with a dot) are passed over, as {@code ls} and the shell pass
 * over them; so are links to directories (never followed, so no cycle). Other files whose names do
 * not end in an image extension are counted and named in {@link #skipped()}.
 */
final class ImageFiles {

    /** File name endings read as images, lower case. */
    static final Set<String> EXTENSIONS = Set.of(".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".bmp", ".dib",
            ".webp", ".tif", ".tiff");
    private static final int NAMED_SKIPS = 3;

    /** Whether a file name ends in an image extension, in any case. */
    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(n.substring(dot));
    }

    /** Whether an input's name is a glob pattern: it holds *, ? , [ or {. */
    static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
    }

    private final Path root;
    /** How a found file is named: the prefix the user wrote, then its path under the root. */
    private final String prefix;
    private final PathMatcher matcher;
    private final int maxDepth;
    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
    private final List<String> skippedNames = new ArrayList<>();
    private long skipped;

    private ImageFiles(Path root, String prefix, PathMatcher matcher, int maxDepth) {
        this.root = root;
        this.prefix = prefix;
        this.matcher = matcher;
        this.maxDepth = maxDepth;
    }

    /** The image files under a directory, at any depth. */
    static ImageFiles directory(Path dir, String name) throws IOException {
        ImageFiles files = new ImageFiles(dir, name.endsWith("/") ? name : name + "/", null, Integer.MAX_VALUE);
        files.push(dir);
        return files;
    }

    /**
     * The image files a glob matches, as Java's {@code glob:} syntax reads it ({@code *} within a
     * name, {@code **} across directories, {@code ?}, {@code [abc]}, {@code {a,b}}). The walk starts
     * at the glob's longest leading directory with no pattern in it.
     */
    static ImageFiles glob(String pattern) throws IOException {
        String[] parts = pattern.split("/", -1);
        int fixed = 0;
        while (fixed < parts.length - 1 && !isGlob(parts[fixed])) {
            fixed++;
        }
        String base = String.join("/", java.util.Arrays.copyOfRange(parts, 0, fixed));
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, fixed, parts.length));
        Path root = pattern.startsWith("/") && base.isEmpty() ? Path.of("/") : Path.of(base.isEmpty() ? "." : base);
        String prefix = base.isEmpty() ? (pattern.startsWith("/") ? "/" : "") : base + "/";
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - fixed;
        ImageFiles files = new ImageFiles(root, prefix, FileSystems.getDefault().getPathMatcher("glob:" + rest), depth);
        if (Files.isDirectory(root)) {
            files.push(root);
        }
        return files;
    }

    private void push(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
            for (Path p : listing) {
                if (!p.getFileName().toString().startsWith(".")) {
                    entries.add(p);
                }
            }
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        stack.push(entries.iterator());
    }

    /**
     * The next image file, named as the user would write it (the directory or glob's own prefix,
     * then the path under it with {@code /}), or {@code null} when there are no more.
     */
    String next() throws IOException {
        while (!stack.isEmpty()) {
            Iterator<Path> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                continue;
            }
            Path p = top.next();
            Path relative = root.relativize(p);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (stack.size() < maxDepth) {
                    push(p);
                }
                continue;
            }
            if (matcher != null && !matcher.matches(relative)) {
                continue;
            }
            String name = prefix + relative.toString().replace(java.io.File.separatorChar, '/');
            if (Files.isRegularFile(p) && isImageName(p.getFileName().toString())) {
                return name;
            }
            skipped++;
            if (skippedNames.size() < NAMED_SKIPS) {
                skippedNames.add(p.getFileName().toString());
            }
        }
        return null;
    }

    /**
     * What was passed over that the user may have meant: "3 files that are not images by their names
     * (notes.txt, a.psd, ...)", or {@code null} for none.
     */
    String skipped() {
        if (skipped == 0) {
            return null;
        }
        return skipped + (skipped == 1 ? " file that is not an image by its name (" : " files that are not images "
                + "by their names (") + String.join(", ", skippedNames) + (skipped > NAMED_SKIPS ? ", ...)" : ")");
    }
}
