package dev.batchwise.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A gzip input that gives up every byte it could decompress before the compressed data breaks off
 * (a truncated or corrupt file), and only then fails, saying where: at which byte of the compressed
 * file the break is. So every complete record before the break is read and run, as {@code zcat}
 * would recover them.
 */
final class GzipInput {

    private GzipInput() {}

    /**
     * @param compressed positioned at the gzip magic bytes
     */
    static BufferedInputStream open(InputStream compressed) throws IOException {
        Counting counted = new Counting(compressed);
        return new Buffer(new Decompressor(counted), 1 << 16);
    }

    /** Counts the compressed bytes the decompressor has taken. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    private static final class Decompressor extends GZIPInputStream {
        private final Counting counted;

        Decompressor(Counting counted) throws IOException {
            super(counted, 1 << 16);
            this.counted = counted;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return super.read(buf, off, len);
            } catch (EOFException | ZipException e) {
                long at = counted.count - inf.getRemaining();
                String why = e instanceof EOFException ? " (the file is truncated)" : " (" + e.getMessage() + ")";
                throw new IOException("the gzip data breaks off at compressed byte " + at + why
                        + "; the complete records before it were read", e);
            }
        }
    }

    /**
     * A buffer that reads its stream at most once per call, so that when that read fails, no bytes an
     * earlier read of the same call gave are lost with the exception (as {@link BufferedInputStream}
     * loses them when it reads on to fill a request).
     */
    private static final class Buffer extends BufferedInputStream {
        Buffer(InputStream in, int size) {
            super(in, size);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (count - pos <= 0) {
                int first = super.read(); // fills the buffer with one read, or fails having taken nothing
                if (first < 0) {
                    return -1;
                }
                b[off] = (byte) first;
                int more = Math.min(len - 1, count - pos);
                if (more > 0) {
                    System.arraycopy(buf, pos, b, off + 1, more);
                    pos += more;
                }
                return 1 + more;
            }
            return super.read(b, off, Math.min(len, count - pos));
        }
    }
}
