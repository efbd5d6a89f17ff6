package dev.batchwise.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The inputs' bytes, over and over, as one stream: so a point can run as long as it needs on
 * inputs of any size. With a header row (CSV, TSV), only the first file's header is kept: every
 * later pass and file starts after its first line. A file that does not end in a newline gets one.
 * Gzip inputs are read decompressed. Ends at {@link #stop()}, or at once when the inputs hold no
 * bytes. Files are reopened for each pass, so memory does not grow with their size.
 *
 * <p>One reader thread; {@link #stop()} from any thread.
 */
public final class CyclingInput extends InputStream {

    private final List<Path> files;
    private final boolean header;
    private volatile boolean stopped;
    private InputStream current;
    private int fileIndex;
    private long pass;
    private int last = '\n';
    private boolean pendingNewline;
    private long bytesThisPass;
    private long bytesLastPass = -1;

    public CyclingInput(List<Path> files, boolean header) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no inputs to cycle");
        }
        this.files = List.copyOf(files);
        this.header = header;
    }

    /** Ends the stream at the next read. */
    public void stop() {
        stopped = true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!stopped) {
            if (pendingNewline) {
                pendingNewline = false;
                last = '\n';
                b[off] = '\n';
                return 1;
            }
            if (current == null && !open()) {
                return -1;
            }
            int n = current.read(b, off, len);
            if (n > 0) {
                last = b[off + n - 1];
                bytesThisPass += n;
                return n;
            }
            current.close();
            current = null;
            pendingNewline = last != '\n';
            fileIndex++;
        }
        return -1;
    }

    /** Opens the next file; false when a whole pass gave nothing, so cycling would never yield a record. */
    private boolean open() throws IOException {
        if (fileIndex == files.size()) {
            fileIndex = 0;
            pass++;
            if (bytesThisPass == 0 && bytesLastPass == 0) {
                return false;
            }
            bytesLastPass = bytesThisPass;
            bytesThisPass = 0;
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(files.get(fileIndex)));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new BufferedInputStream(new GZIPInputStream(in));
        }
        if (header && (pass > 0 || fileIndex > 0)) {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                // the header row of a later pass or file
            }
        }
        current = in;
        return true;
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
