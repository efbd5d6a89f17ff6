package dev.batchwise.source;

import dev.batchwise.util.Phrase;

import dev.batchwise.util.Bytes;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits a UTF-8 byte stream into lines ({@code \n} or {@code \r\n}), counting them from 1, with two
 * guarantees a record reader needs: a line longer than {@code maxLineBytes} is skipped without being
 * held in memory, and a line that is not valid UTF-8 is reported with the byte where it breaks. Either
 * way the next line is read normally, so one bad line costs one record, not the file.
 *
 * <p>A UTF-8 byte order mark at the start is dropped. Not thread-safe.
 */
public final class LineReader implements Closeable {

    /** What {@link #next()} found. */
    public enum Status { OK, TOO_LONG, MALFORMED }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;

    private byte[] line = new byte[512];
    private int lineLength;
    /** The length of the current line in bytes, including any part not held for being too long. */
    private long lineBytes;
    /** Whether the last byte of the current line, before its LF, is a CR. */
    private boolean endsWithCr;
    private long lineNumber;
    private Status status;
    private String text;
    private int malformedAt;
    private CharsetDecoder decoder;
    private final boolean decode;
    private int start;
    private int end;

    /** A reader that decodes each line to {@link #text()}. */
    public LineReader(InputStream in, int maxLineBytes) {
        this(in, maxLineBytes, true);
    }

    /**
     * @param decode whether to make {@link #text()}; without, a caller reads the validated UTF-8
     *     bytes through {@link #bytes()}, {@link #start()} and {@link #end()}
     */
    public LineReader(InputStream in, int maxLineBytes, boolean decode) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.decode = decode;
    }

    /**
     * Advances to the next line.
     *
     * @return false at the end of the input; a final line without a newline still counts
     */
    public boolean next() throws IOException {
        lineLength = 0;
        lineBytes = 0;
        endsWithCr = false;
        text = null;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                if (eof || !fill()) {
                    if (!any) {
                        return false;
                    }
                    break;
                }
            }
            any = true;
            int nl = indexOfNewline(buf, pos, limit);
            int end = nl < 0 ? limit : nl;
            append(buf, pos, end - pos);
            if (nl >= 0) {
                pos = nl + 1;
                break;
            }
            pos = limit;
        }
        lineNumber++;
        finish();
        return true;
    }

    /**
     * Whether the next line can be read without waiting for the input, as far as can be told: bytes are
     * buffered, or the stream says some are available. False at the end of the input.
     */
    public boolean ready() {
        if (pos < limit) {
            return true;
        }
        try {
            return !eof && in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** 1-based number of the current line. */
    public long lineNumber() {
        return lineNumber;
    }

    public Status status() {
        return status;
    }

    /** The current line without its line break; only for {@link Status#OK}. */
    public String text() {
        return text;
    }

    /** The current line's bytes, from {@link #start()} to {@link #end()}; only for {@link Status#OK}, until the next call. */
    public byte[] bytes() {
        return line;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    /** Whether the current line is empty or only spaces, tabs and carriage returns. */
    public boolean isBlank() {
        for (int i = start; i < end; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The length in bytes of the current line, including any part skipped for being too long. */
    public long lineBytes() {
        return lineBytes;
    }

    /** For {@link Status#MALFORMED}: the 1-based byte position in the line where UTF-8 breaks. */
    public int malformedAt() {
        return malformedAt;
    }

    /** A message for a line that is not {@link Status#OK}, without the origin. */
    public Phrase problem() {
        return switch (status) {
            case OK -> null;
            case TOO_LONG -> Phrase.of("line is %s, over the limit of %s (raise it with {max-record-size})",
                    Bytes.format(lineBytes), Bytes.format(maxLineBytes));
            case MALFORMED -> Phrase.of("not valid UTF-8 (at byte %s of the line); re-encode the input as UTF-8",
                    malformedAt);
        };
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        while (n == 0) {
            n = in.read(buf, 0, buf.length);
        }
        if (n < 0) {
            eof = true;
            pos = limit = 0;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Adds bytes of the current line. Holds at most {@code maxLineBytes + 1} of them (a line of the
     * limit plus the CR of a CRLF); past that the line is too long whatever its end, and the rest is
     * only counted.
     */
    private void append(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        lineBytes += len;
        endsWithCr = b[off + len - 1] == '\r';
        if (lineBytes > (long) maxLineBytes + 1) {
            return;
        }
        if (lineLength + len > line.length) {
            byte[] bigger = new byte[(int) Math.min(Math.max(line.length * 2L, lineLength + len), maxLineBytes + 1L)];
            System.arraycopy(line, 0, bigger, 0, lineLength);
            line = bigger;
        }
        System.arraycopy(b, off, line, lineLength, len);
        lineLength += len;
    }

    private void finish() {
        start = 0;
        end = lineLength;
        if (endsWithCr) {
            lineBytes--;
            if (lineLength > lineBytes) {
                end--; // the whole line is held; drop its CR
            }
        }
        if (lineBytes > maxLineBytes) {
            status = Status.TOO_LONG;
            return;
        }
        if (lineNumber == 1 && end >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                && (line[2] & 0xff) == 0xBF) {
            start = 3;
        }
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            text = decode ? new String(line, start, end - start, StandardCharsets.ISO_8859_1) : null;
            status = Status.OK;
            return;
        }
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        decoder.reset();
        ByteBuffer bytes = ByteBuffer.wrap(line, start, end - start);
        CharBuffer chars = CharBuffer.allocate(end - start);
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            status = Status.MALFORMED;
            malformedAt = bytes.position() + 1;
            return;
        }
        chars.flip();
        text = decode ? chars.toString() : null;
        status = Status.OK;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
