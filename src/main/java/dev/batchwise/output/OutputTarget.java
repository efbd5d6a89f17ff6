package dev.batchwise.output;

import dev.batchwise.util.Errors;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where output lines go: standard output, or a file. A file is written under a temporary name,
 * {@code FILE.partial}, and renamed to {@code FILE} only when the run completes, so a reader never
 * takes a half-written file for a finished one. After an interrupted run the partial file stays,
 * with its {@code FILE.partial.meta} for {@code --resume}.
 *
 * <p>A file that is not regular (a device, a FIFO, or a link to one: {@code /dev/null},
 * {@code /dev/stdout}) is written {@code inPlace}: opened as it is, with no partial file, no meta and
 * no rename, since a rename would replace the device with a regular file.
 *
 * <p>Nothing is created or truncated until the pipeline {@link #open() opens} the output, which it does
 * only once the run is known to start ({@link RunOutput#prepare} checks the paths before). The partial
 * file is created afresh with exclusive creation, never through a link: whatever is at its name (a
 * left-over file, a planted link) is removed first, the link itself and not what it points to. The
 * commit renames it over {@code FILE} only while {@code FILE} is a regular file or absent; {@code FILE}
 * is the file an {@code -o} link points to ({@link RunOutput#committedFile}), so the link stays.
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
    private final boolean inPlace;
    private final Flushable flushFirst;
    private final BeforeOpen beforeOpen;
    private OutputStream stream;
    /** The file as a channel, for a writer that rewrites what it wrote (.npy's header); or {@code null}. */
    private FileChannel channel;
    private volatile boolean brokenPipe;

    private OutputTarget(OutputStream stdout, Path file, boolean inPlace, boolean append, Flushable flushFirst,
            BeforeOpen beforeOpen) {
        this.stdout = stdout;
        this.file = file;
        this.inPlace = inPlace;
        this.partial = file == null || inPlace ? null : partialOf(file);
        this.append = append;
        this.flushFirst = flushFirst;
        this.beforeOpen = beforeOpen;
    }

    static OutputTarget stdout(OutputStream stdout) {
        return new OutputTarget(stdout, null, false, false, null, null);
    }

    /**
     * @param inPlace write {@code file} itself, which is not a regular file (see the class comment)
     * @param append continue {@code FILE.partial} (a resumed run) instead of starting it afresh
     * @param flushFirst flushed before any byte of the output reaches the file (the errors file, so it
     *     never lags behind the output), or {@code null}
     * @param beforeOpen run once, before the file is first opened, or {@code null}
     */
    static OutputTarget file(Path file, boolean inPlace, boolean append, Flushable flushFirst, BeforeOpen beforeOpen) {
        return new OutputTarget(null, file, inPlace, append, flushFirst, beforeOpen);
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
        Path target = inPlace ? file : partial;
        try {
            if (inPlace) {
                out = Files.newOutputStream(file, StandardOpenOption.WRITE);
            } else if (append) {
                out = Files.newOutputStream(partial, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                        LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.deleteIfExists(partial); // a link there goes, not what it points to
                out = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + Errors.describe(e), e);
        }
        stream = new BufferedOutputStream(flushFirst == null ? out : new FlushFirst(out, flushFirst), 1 << 16);
        return stream;
    }

    /**
     * Opens the file as a channel to read and write anywhere in, instead of {@link #open() a stream}:
     * created afresh as {@link #open()} creates it, or, continuing, opened as it is (not truncated: its
     * writer decides what it keeps). Not for standard output or a file written in place.
     */
    synchronized FileChannel openChannel() throws IOException {
        if (channel != null) {
            return channel;
        }
        if (file == null || inPlace) {
            throw new IllegalStateException("a channel needs a regular file");
        }
        if (beforeOpen != null) {
            beforeOpen.run();
        }
        try {
            if (append) {
                channel = FileChannel.open(partial, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } else {
                Files.deleteIfExists(partial); // a link there goes, not what it points to
                channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + partial + ": " + Errors.describe(e), e);
        }
        return channel;
    }

    /** The file written to, or {@code null} for standard output. */
    Path file() {
        return file;
    }

    /** The partial file, or {@code null} for standard output and a file written in place. */
    Path partial() {
        return partial;
    }

    /** Whether standard output was closed by its reader (EPIPE), as when piped to {@code head}. */
    boolean brokenPipe() {
        return brokenPipe;
    }

    /**
     * Closes the stream and, for a file written under its partial name, gives it its final name and
     * drops its meta file.
     *
     * @throws IOException when {@code FILE} has become something a rename must not replace (the output
     *     then stays in the partial file)
     */
    void commit() throws IOException {
        if (channel != null) {
            channel.close();
        } else {
            open().close();
        }
        if (file != null && !inPlace) {
            if (Files.isDirectory(file) || OutputPaths.inPlace(file)) {
                throw new IOException(file + " is no longer a regular file, so it is not replaced; the output is in "
                        + partial);
            }
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
        if (channel != null) {
            channel.close();
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
