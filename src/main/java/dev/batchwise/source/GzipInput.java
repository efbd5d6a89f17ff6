package dev.batchwise.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip input read to its end: every member of a multi-member file (what {@code cat a.gz b.gz} or
 * {@code pigz} makes), however the bytes arrive, then the end. The JDK's {@code GZIPInputStream}
 * looks for a next member only when {@code available()} says bytes are waiting, so on a pipe that
 * pauses between members it ends early and drops the rest without a word; here the next member is
 * looked for by reading, as {@code zcat} does.
 *
 * <p>Every byte that could be decompressed before the data breaks off (a truncated file, corrupt
 * data, a CRC or length mismatch in a member's trailer) is given out first; only then does a read
 * fail, saying where: at which byte of the compressed input the break is, and which of {@code zcat}'s
 * errors it is. Zero bytes after the last member (tape or block padding) are ignored, as gzip does;
 * other bytes there are "trailing garbage", which gzip ignores with a warning, and so does this.
 *
 * <p>The framing is RFC 1952's; the DEFLATE data itself is the JDK's {@link Inflater}.
 */
final class GzipInput extends InputStream {

    private static final int FTEXT_FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xE0;

    private final InputStream in;
    private final Consumer<String> warnings;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    /** Bytes of {@link #buf} from {@link #bufPos} to {@link #bufEnd} are read but not yet used. */
    private int bufPos;
    private int bufEnd;
    /** Compressed bytes read from {@link #in} so far; those still unused are in the buffer or the inflater. */
    private long read;
    /** Uncompressed bytes of the current member, for its trailer's length. */
    private long memberBytes;
    private boolean inMember;
    private boolean ended;
    /** A failure met after some bytes of the same read were given out; thrown by the next read. */
    private IOException pending;

    private GzipInput(InputStream in, Consumer<String> warnings) {
        this.in = in;
        this.warnings = warnings;
    }

    /**
     * @param compressed positioned at the gzip magic bytes
     * @param warnings told of trailing garbage after the last member, once
     */
    static BufferedInputStream open(InputStream compressed, Consumer<String> warnings) throws IOException {
        GzipInput gz = new GzipInput(compressed, warnings);
        gz.startMember(); // a broken first header fails the open, before any record
        return new Buffer(gz, 1 << 16);
    }

    /** The compressed bytes used so far: the position in the input of the next byte to decode. */
    private long position() {
        return read - (bufEnd - bufPos) - (inMember ? inflater.getRemaining() : 0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (pending != null) {
            IOException e = pending;
            pending = null;
            ended = true;
            throw e;
        }
        if (len == 0) {
            return 0;
        }
        int n = 0;
        try {
            while (n == 0 && !ended) {
                if (!inMember && !nextMember()) {
                    ended = true;
                    break;
                }
                n = inflate(b, off, len);
            }
        } catch (IOException e) {
            if (n > 0) {
                pending = e;
                return n;
            }
            ended = true;
            throw e;
        }
        return n == 0 ? -1 : n;
    }

    /** Decompresses into {@code b}, reading more input as needed; ends the member at its trailer. */
    private int inflate(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw broken("invalid compressed data--format violated");
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberBytes += n;
                return n;
            }
            if (inflater.finished()) {
                endMember();
                return 0;
            }
            if (inflater.needsDictionary()) {
                throw broken("invalid compressed data--format violated");
            }
            if (inflater.needsInput()) {
                if (bufPos == bufEnd && !fill()) {
                    throw broken("the file is truncated");
                }
                inflater.setInput(buf, bufPos, bufEnd - bufPos);
                bufPos = bufEnd;
            }
        }
    }

    /** Reads the trailer of the member just inflated and checks it against what was given out. */
    private void endMember() throws IOException {
        // what the inflater did not use is the trailer and beyond: back into the buffer
        int unused = inflater.getRemaining();
        bufPos -= unused;
        inMember = false;
        long expectedCrc = readIntLE();
        long expectedLength = readIntLE();
        if (expectedCrc != crc.getValue()) {
            throw broken("invalid compressed data--crc error", position() - 8);
        }
        if (expectedLength != (memberBytes & 0xffffffffL)) {
            throw broken("invalid compressed data--length error", position() - 4);
        }
    }

    /**
     * Looks for another member after the last one, by reading: the end of the input, zero padding
     * (ignored) or garbage (ignored, with a warning) end the data.
     */
    private boolean nextMember() throws IOException {
        int first = readByte();
        if (first < 0) {
            return false;
        }
        if (first == 0x1f) {
            bufPos--;
            startMember();
            return true;
        }
        long at = position() - 1;
        boolean zeros = first == 0;
        while (zeros) {
            int next = readByte();
            if (next < 0) {
                return false; // padding only, as gzip ignores it
            }
            zeros = next == 0;
        }
        warnings.accept("the gzip data ends at compressed byte " + at + "; what follows is not gzip data and was "
                + "ignored (trailing garbage, as zcat says)");
        return false;
    }

    /** Reads a member's header, leaving the input at its compressed data. */
    private void startMember() throws IOException {
        long at = position();
        int id1 = readHeaderByte();
        int id2 = readHeaderByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw broken("not in gzip format", at);
        }
        if (readHeaderByte() != 8) {
            throw broken("unknown method: not deflate", at + 2);
        }
        int flags = readHeaderByte();
        if ((flags & RESERVED_FLAGS) != 0) {
            throw broken("unknown flags set", at + 3);
        }
        for (int i = 0; i < 6; i++) { // mtime, extra flags, OS
            readHeaderByte();
        }
        if ((flags & FEXTRA) != 0) {
            int xlen = readHeaderByte() | readHeaderByte() << 8;
            for (int i = 0; i < xlen; i++) {
                readHeaderByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (readHeaderByte() != 0) {
                // the original file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readHeaderByte() != 0) {
                // the comment
            }
        }
        if ((flags & FTEXT_FHCRC) != 0) {
            readHeaderByte();
            readHeaderByte();
        }
        inflater.reset();
        crc.reset();
        memberBytes = 0;
        inMember = true;
    }

    private int readHeaderByte() throws IOException {
        int b = readByte();
        if (b < 0) {
            throw broken("the file is truncated");
        }
        return b;
    }

    private long readIntLE() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte();
            if (b < 0) {
                throw broken("the file is truncated");
            }
            v |= (long) b << (8 * i);
        }
        return v;
    }

    private int readByte() throws IOException {
        if (bufPos == bufEnd && !fill()) {
            return -1;
        }
        return buf[bufPos++] & 0xff;
    }

    /** Reads more compressed bytes into the empty buffer, blocking as a pipe does; false at the end. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        read += n;
        bufPos = 0;
        bufEnd = n;
        return true;
    }

    private IOException broken(String why) {
        return broken(why, position());
    }

    private IOException broken(String why, long at) {
        return new IOException("the gzip data breaks off at compressed byte " + at + " (" + why
                + "); the complete records before it were read");
    }

    @Override
    public int available() throws IOException {
        return ended ? 0 : Math.max(inflater.getRemaining(), bufEnd - bufPos) > 0 ? 1 : in.available() > 0 ? 1 : 0;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
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
