package dev.batchwise.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How far reading has got in each input, in bytes as they lie on disk (for gzip, compressed bytes),
 * for the progress line. The reading thread writes, any thread reads. An input opened again (once
 * for the checks before the run, then for the run) counts its furthest position, not the sum.
 */
public final class ReadProgress {

    private final AtomicLongArray positions;
    private final java.util.concurrent.atomic.AtomicLong records = new java.util.concurrent.atomic.AtomicLong();

    public ReadProgress(int inputs) {
        this.positions = new AtomicLongArray(inputs);
    }

    /** Records read so far, all inputs together. */
    public long recordsRead() {
        return records.get();
    }

    void recordRead() {
        records.incrementAndGet();
    }

    /** The bytes read so far, all inputs together. */
    public long bytesRead() {
        long sum = 0;
        for (int i = 0; i < positions.length(); i++) {
            sum += positions.get(i);
        }
        return sum;
    }

    /** {@code raw}, counting what is read from it as input {@code index}'s position. */
    InputStream counting(int index, InputStream raw) {
        return new FilterInputStream(raw) {
            private long position;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(n);
                advance(skipped);
                return skipped;
            }

            private void advance(long n) {
                position += n;
                positions.accumulateAndGet(index, position, Math::max);
            }
        };
    }
}
