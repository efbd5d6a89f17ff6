package dev.batchwise.cli;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.util.Errors;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The process's standard input and output as every command uses them: a stream the launcher found
 * closed reads or writes as a clear failure (never as whatever the JVM opened on its descriptor), and
 * the first failed write to standard output is kept, so that a command whose output was lost (a full
 * disk, a closed stream) does not exit 0: {@link #exitCode} turns it into exit 4, or into the quiet
 * exit 141 of a reader that went away ({@code | head}).
 */
final class StandardStreams {

    /** Set by the launcher: the closed standard streams, of {@code stdin}, {@code stdout}, {@code stderr}. */
    static final String CLOSED_PROPERTY = "batchwise.closed";

    private final InputStream in;
    private final Output out;
    private final PrintWriter writer;

    private StandardStreams(InputStream in, Output out) {
        this.in = in;
        this.out = out;
        this.writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    /** The process's own streams, as the launcher says they are. */
    static StandardStreams ofProcess() {
        List<String> closed = Arrays.asList(System.getProperty(CLOSED_PROPERTY, "").split(","));
        InputStream in = closed.contains("stdin") ? new ClosedInput() : new FileInputStream(FileDescriptor.in);
        OutputStream out = closed.contains("stdout") ? new ClosedOutput() : new FileOutputStream(FileDescriptor.out);
        return new StandardStreams(in, new Output(out));
    }

    /** For tests: these streams in place of the process's. */
    static StandardStreams of(InputStream in, OutputStream out) {
        return new StandardStreams(in, new Output(out));
    }

    InputStream in() {
        return in;
    }

    /** Where data goes: every write failure is kept. */
    OutputStream out() {
        return out;
    }

    /** Picocli's writer for what commands print on standard output (help, lists, scripts). */
    PrintWriter writer() {
        return writer;
    }

    /**
     * The command's exit code once everything it printed is flushed: a failed write to standard output
     * that the command did not report itself (a run reports its own: 4 or 141) becomes one line on
     * {@code err} and exit 4, or exit 141 without a word when the reader went away.
     */
    int exitCode(int code, PrintWriter err) {
        writer.flush();
        IOException failure = out.failure;
        if (failure == null || code == ExitCodes.OUTPUT || code == ExitCodes.OUTPUT_CLOSED) {
            return code;
        }
        if (brokenPipe(failure)) {
            return ExitCodes.OUTPUT_CLOSED;
        }
        err.println("batchwise: cannot write to standard output: " + Errors.describe(failure));
        err.flush();
        return ExitCodes.OUTPUT;
    }

    static boolean brokenPipe(IOException e) {
        // the JVM ignores SIGPIPE, so a closed pipe is a write error; its text is the OS's for EPIPE
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    /** Standard output, keeping its first write failure. */
    private static final class Output extends OutputStream {
        private final OutputStream out;
        private volatile IOException failure;

        Output(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw kept(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw kept(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw kept(e);
            }
        }

        private IOException kept(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }

    /** Standard input that was closed when batchwise started. */
    private static final class ClosedInput extends InputStream {
        @Override
        public int read() throws IOException {
            throw new IOException("standard input is closed; give an input FILE, or pipe the records in");
        }
    }

    /** Standard output that was closed when batchwise started. */
    private static final class ClosedOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("standard output is closed; write to a file with -o FILE");
        }
    }
}
