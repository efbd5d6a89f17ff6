package dev.batchwise.cli;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.util.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files {@code batchwise bench} writes ({@code --csv}, {@code --json}, {@code --report}): checked
 * before the sweep starts (none is an input or another's name, each one's directory exists), and
 * each written under a temporary name in its directory and renamed over the target only once
 * complete, so a reader never sees half a file. A target that exists and is not a regular file (a
 * device, a FIFO) is written in place; a link at the target is replaced by the file, not followed.
 */
final class BenchFiles {

    interface Content {
        void write(Writer w) throws IOException;
    }

    private BenchFiles() {}

    static void check(List<Path> outputs, List<Path> inputs) {
        List<Path> seen = new ArrayList<>();
        for (Path out : outputs) {
            if (out == null) {
                continue;
            }
            if (Files.isDirectory(out)) {
                throw new UserException(ExitCodes.OUTPUT, "cannot write " + out + ": it is a directory");
            }
            Path dir = out.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new UserException(ExitCodes.OUTPUT, "cannot write " + out + ": the directory " + dir
                        + " does not exist");
            }
            for (Path in : inputs) {
                if (same(out, in)) {
                    throw new UserException(ExitCodes.USAGE, "the output " + out + " is an input; writing it would "
                            + "destroy it");
                }
            }
            for (Path other : seen) {
                if (same(out, other)) {
                    throw new UserException(ExitCodes.USAGE, "two outputs name the same file, " + out);
                }
            }
            seen.add(out);
        }
    }

    private static boolean same(Path a, Path b) {
        if (dev.batchwise.util.FilePaths.resolved(a).equals(dev.batchwise.util.FilePaths.resolved(b))) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static void write(Path target, Content content) {
        if (target == null) {
            return;
        }
        try {
            if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isSymbolicLink(target)) {
                try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    content.write(w);
                }
                return;
            }
            // a new file beside it, with the permissions the umask gives, renamed over it
            dev.batchwise.util.FilePaths.replace(target, out -> {
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                content.write(w);
                w.flush();
            });
        } catch (IOException e) {
            throw new UserException(ExitCodes.OUTPUT, "cannot write " + target + ": " + Errors.describe(e), e);
        }
    }

    /** Whether the file's first non-blank character is '{' (a JSON Lines input with another name). */
    static boolean startsWithBrace(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            int c;
            while ((c = in.read()) != -1) {
                if (!Character.isWhitespace(c)) {
                    return c == '{';
                }
            }
        } catch (IOException e) {
            // the read fails again, with its message, when the sweep starts
        }
        return false;
    }
}
