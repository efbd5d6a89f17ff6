package dev.batchwise.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where output lines go: standard output, or a file. A file is written under a temporary name,
 * {@code FILE.partial}, and renamed to {@code FILE} only when the run completes, so a reader never
 * takes a half-written file for a finished one. After an interrupted run the partial file stays.
 */
final class OutputTarget implements AutoCloseable {

    private final OutputStream stream;
    private final Path file;
    private final Path partial;

    private OutputTarget(OutputStream stream, Path file, Path partial) {
        this.stream = stream;
        this.file = file;
        this.partial = partial;
    }

    static OutputTarget stdout(OutputStream stdout) {
        return new OutputTarget(new BufferedOutputStream(stdout, 1 << 16) {
            @Override
            public void close() throws IOException {
                flush(); // standard output stays open for others
            }
        }, null, null);
    }

    static OutputTarget file(Path file) {
        if (Files.isDirectory(file)) {
            throw new UserException(ExitCodes.OUTPUT, "cannot write " + file + ": it is a directory");
        }
        Path partial = partialOf(file);
        try {
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
            return new OutputTarget(out, file, partial);
        } catch (NoSuchFileException e) {
            throw new UserException(ExitCodes.OUTPUT, "cannot write " + file + ": the directory "
                    + (file.toAbsolutePath().getParent()) + " does not exist");
        } catch (AccessDeniedException e) {
            throw new UserException(ExitCodes.OUTPUT, "cannot write " + file + ": permission denied");
        } catch (IOException e) {
            throw new UserException(ExitCodes.OUTPUT, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static Path partialOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".partial");
    }

    OutputStream stream() {
        return stream;
    }

    /** The file written to, or {@code null} for standard output. */
    Path file() {
        return file;
    }

    Path partial() {
        return partial;
    }

    /** Closes the stream and, for a file, gives it its final name. */
    void commit() throws IOException {
        stream.close();
        if (file != null) {
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Closes the stream and leaves a file under its partial name. */
    @Override
    public void close() throws IOException {
        stream.close();
    }
}
