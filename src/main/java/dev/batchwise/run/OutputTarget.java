package dev.batchwise.run;

import dev.batchwise.util.Errors;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where output lines go: standard output, or a file. A file is written under a temporary name,
 * {@code FILE.partial}, and renamed to {@code FILE} only when the run completes, so a reader never
 * takes a half-written file for a finished one. After an interrupted run the partial file stays,
 * with its {@code FILE.partial.meta} for {@code --resume}.
 *
 * <p>Nothing is created or truncated until the pipeline {@link #open() opens} the output, which it does
 * only once the run is known to start; what can be checked earlier (a missing directory, a directory
 * named as the file) is checked when the target is made.
 */
final class OutputTarget implements AutoCloseable {

    /** Something to do just before the file is first opened: writing its meta file. */
    interface BeforeOpen {
        void run() throws IOException;
    }

    private final OutputStream stdout;
    private final Path file;
    private final Path partial;
    private final boolean append;
    private final Flushable flushFirst;
    private final BeforeOpen beforeOpen;
    private OutputStream stream;
    private volatile boolean brokenPipe;

    private OutputTarget(OutputStream stdout, Path file, boolean append, Flushable flushFirst, BeforeOpen beforeOpen) {
        this.stdout = stdout;
        this.file = file;
        this.partial = file == null ? null : partialOf(file);
        this.append = append;
        this.flushFirst = flushFirst;
        this.beforeOpen = beforeOpen;
    }

    static OutputTarget stdout(OutputStream stdout) {
        return new OutputTarget(stdout, null, false, null, null);
    }

    /**
     * @param append continue {@code FILE.partial} (a resumed run) instead of starting it afresh
     * @param flushFirst flushed before any byte of the output reaches the file (the errors file, so it
     *     never lags behind the output), or {@code null}
     * @param beforeOpen run once, before the file is first opened, or {@code null}
     * @throws RunException (exit 4) when the file cannot be written: a directory, or in a missing one
     */
    static OutputTarget file(Path file, boolean append, Flushable flushFirst, BeforeOpen beforeOpen)
            throws RunException {
        checkWritable(file, "");
        return new OutputTarget(null, file, append, flushFirst, beforeOpen);
    }

    /** Exit 4 unless {@code file} looks writable: not a directory, in a directory that exists. */
    static void checkWritable(Path file, String option) throws RunException {
        if (Files.isDirectory(file)) {
            throw new RunException(ExitCodes.OUTPUT, "cannot write " + option + file + ": it is a directory", null);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new RunException(ExitCodes.OUTPUT, "cannot write " + option + file + ": the directory " + dir
                    + " does not exist", null);
        }
    }

    static Path partialOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".partial");
    }

    public synchronized OutputStream open() throws IOException {
        if (stream != null) {
            return stream;
        }
        if (file == null) {
            stream = new BufferedOutputStream(new PipeWatch(stdout), 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output stays open for others
                }
            };
            return stream;
        }
        if (beforeOpen != null) {
            beforeOpen.run();
        }
        OutputStream out;
        try {
            out = append
                    ? Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                    : Files.newOutputStream(partial);
        } catch (IOException e) {
            throw new IOException("cannot write " + partial + ": " + Errors.describe(e), e);
        }
        stream = new BufferedOutputStream(flushFirst == null ? out : new FlushFirst(out, flushFirst), 1 << 16);
        return stream;
    }

    /** The file written to, or {@code null} for standard output. */
    Path file() {
        return file;
    }

    Path partial() {
        return partial;
    }

    /** Whether standard output was closed by its reader (EPIPE), as when piped to {@code head}. */
    boolean brokenPipe() {
        return brokenPipe;
    }

    /** Closes the stream and, for a file, gives it its final name and drops its meta file. */
    void commit() throws IOException {
        open().close();
        if (file != null) {
            try {
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.deleteIfExists(Resume.metaOf(partial));
        }
    }

    /** Closes the stream, if it was opened, and leaves a file under its partial name. */
    @Override
    public synchronized void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }

    /** Flushes another stream before any byte goes to this one. */
    private static final class FlushFirst extends FilterOutputStream {
        private final Flushable first;

        FlushFirst(OutputStream out, Flushable first) {
            super(out);
            this.first = first;
        }

        @Override
        public void write(int b) throws IOException {
            first.flush();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.flush();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            out.flush();
        }
    }

    /** Notes when a write fails because the reader of the pipe has gone. */
    private final class PipeWatch extends FilterOutputStream {
        PipeWatch(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw watch(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw watch(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw watch(e);
            }
        }

        private IOException watch(IOException e) {
            // the JVM ignores SIGPIPE, so a closed pipe is a write error; its text is the OS's for EPIPE
            if (e.getMessage() != null && e.getMessage().contains("Broken pipe")) {
                brokenPipe = true;
            }
            return e;
        }
    }
}
