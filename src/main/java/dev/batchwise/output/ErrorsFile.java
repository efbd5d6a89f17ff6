package dev.batchwise.output;

import dev.batchwise.util.Errors;
import dev.batchwise.sink.FailedRecordWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code --errors} file. Created (or, for a resumed run, appended to) only when the first failed
 * record is written or the run ends, so a run that fails before it starts leaves an earlier one
 * untouched; a run without failures leaves it empty. Its write errors name the file. Used under the
 * sink's lock, then by the command's thread at the end.
 */
final class ErrorsFile implements AutoCloseable {

    private final Path file;
    private final boolean append;
    private final FileStream stream = new FileStream();
    private final FailedRecordWriter writer;
    /** What {@link #writer} writes to, and a writer of another shape may write to instead. */
    private final BufferedOutputStream buffered;
    private boolean closed;

    ErrorsFile(Path file, boolean append) throws IOException {
        this.file = file;
        this.append = append;
        this.buffered = new BufferedOutputStream(stream, 1 << 16);
        this.writer = new FailedRecordWriter(buffered);
    }

    FailedRecordWriter writer() {
        return writer;
    }

    /**
     * The stream {@link #writer()} writes to, for lines of another shape (an OpenAI error file's):
     * flushed with the writer, created at its first byte.
     */
    OutputStream stream() {
        return buffered;
    }

    /** The run has ended: flushes the file, creating it if no failure was written. */
    void runEnded() throws IOException {
        writer.flush();
        stream.open().flush();
    }

    /** Flushes and closes the file, if it was opened; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        stream.close();
    }

    /** Opens the file at its first byte; rethrows its errors naming it. */
    private final class FileStream extends OutputStream {
        private OutputStream out;

        OutputStream open() throws IOException {
            if (out == null) {
                try {
                    out = append
                            ? Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                            : Files.newOutputStream(file);
                } catch (IOException e) {
                    throw named(e);
                }
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                open().write(b);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                open().write(b, off, len);
            } catch (IOException e) {
                throw named(e);
            }
        }

        @Override
        public void flush() throws IOException {
            if (out != null) {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw named(e);
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                out.close();
            }
        }

        private IOException named(IOException e) {
            String prefix = "cannot write --errors " + file;
            return e.getMessage() != null && e.getMessage().startsWith(prefix) ? e
                    : new IOException(prefix + ": " + Errors.describe(e), e);
        }
    }
}
