package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Gzip input is read to its end, member after member, however its bytes arrive; whatever breaks it
 * off is reported after the records before the break, and nothing ends it silently.
 */
class GzipMembersTest {

    /** Three members of 100 lines each, as {@code cat a.gz b.gz c.gz} makes. */
    private static List<byte[]> members() throws IOException {
        List<byte[]> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            StringBuilder text = new StringBuilder();
            for (int i = 1; i <= 100; i++) {
                text.append("member ").append(m + 1).append(" line ").append(i).append('\n');
            }
            members.add(gzip(text.toString()));
        }
        return members;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /**
     * A pipe whose writer pauses between chunks: each read gives at most the rest of the current chunk,
     * and nothing is available until the next read, as a pipe between two writes.
     */
    private static InputStream pausingPipe(List<byte[]> chunks) {
        return new InputStream() {
            private int chunk;
            private int pos;

            @Override
            public int read() {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                while (chunk < chunks.size() && pos == chunks.get(chunk).length) {
                    chunk++;
                    pos = 0;
                }
                if (chunk == chunks.size()) {
                    return -1;
                }
                int n = Math.min(len, chunks.get(chunk).length - pos);
                System.arraycopy(chunks.get(chunk), pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }

    private record Read(List<String> lines, List<String> warnings, InputException failure) {}

    private static Read readAll(InputStream stdin) throws InputException {
        List<String> warnings = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        InputException failure = null;
        try (RecordSource source = new RecordSource(List.of(Input.stdin()), InputFormat.TEXT, ReaderOptions.defaults(),
                stdin, warnings::add)) {
            source.prepare();
            Record r;
            while ((r = source.next()) != null) {
                lines.add((String) r.fields().get("text"));
            }
        } catch (InputException e) {
            failure = e;
        }
        return new Read(lines, warnings, failure);
    }

    @Test
    void membersThatArriveWithPausesBetweenThemAreAllRead() throws Exception {
        Read read = readAll(pausingPipe(members()));
        assertEquals(null, read.failure());
        assertEquals(300, read.lines().size());
        assertEquals("member 3 line 100", read.lines().get(299));
        assertEquals(List.of(), read.warnings());
    }

    @Test
    void aPauseInsideAHeaderOrATrailerDoesNotEndTheData() throws Exception {
        byte[] all = concat(members());
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : all) { // one byte per read: every boundary falls between two reads
            bytes.add(new byte[] {b});
        }
        assertEquals(300, readAll(pausingPipe(bytes)).lines().size());
    }

    @Test
    void aTruncatedLaterMemberKeepsWhatCameBeforeAndSaysWhere() throws Exception {
        List<byte[]> members = members();
        byte[] all = concat(members);
        int cut = members.get(0).length + members.get(1).length / 2;
        Read read = readAll(pausingPipe(List.of(Arrays.copyOf(all, cut))));
        assertTrue(read.lines().size() >= 100 && read.lines().size() < 200, read.lines()::toString);
        assertEquals("member 1 line 100", read.lines().get(99));
        assertTrue(read.failure().getMessage().contains("the gzip data breaks off at compressed byte " + cut
                + " (the file is truncated); the complete records before it were read"), read.failure()::getMessage);
    }

    @Test
    void aHeaderCutShortIsATruncation() throws Exception {
        List<byte[]> members = members();
        int cut = members.get(0).length + 5;
        Read read = readAll(pausingPipe(List.of(Arrays.copyOf(concat(members), cut))));
        assertEquals(100, read.lines().size());
        assertTrue(read.failure().getMessage().contains("compressed byte " + cut + " (the file is truncated)"),
                read.failure()::getMessage);
    }

    @Test
    void aWrongChecksumIsReportedAfterTheMembersData() throws Exception {
        List<byte[]> members = members();
        byte[] first = members.get(0).clone();
        first[first.length - 8] ^= 1; // the CRC-32 of the first member's trailer
        members.set(0, first);
        Read read = readAll(pausingPipe(members));
        assertEquals(100, read.lines().size());
        assertTrue(read.failure().getMessage().contains("(invalid compressed data--crc error)"),
                read.failure()::getMessage);
        assertTrue(read.failure().getMessage().contains("at compressed byte " + (first.length - 8)),
                read.failure()::getMessage);
    }

    @Test
    void aWrongLengthIsReported() throws Exception {
        List<byte[]> members = members();
        byte[] second = members.get(1).clone();
        second[second.length - 4] ^= 1;
        members.set(1, second);
        Read read = readAll(pausingPipe(members));
        assertEquals(200, read.lines().size());
        assertTrue(read.failure().getMessage().contains("(invalid compressed data--length error)"),
                read.failure()::getMessage);
    }

    @Test
    void zeroPaddingAfterTheLastMemberIsIgnoredQuietly() throws Exception {
        List<byte[]> parts = new ArrayList<>(members());
        parts.add(new byte[512]);
        Read read = readAll(pausingPipe(parts));
        assertEquals(null, read.failure());
        assertEquals(300, read.lines().size());
        assertEquals(List.of(), read.warnings());
    }

    @Test
    void trailingGarbageIsIgnoredWithAWarningAfterEveryRecord() throws Exception {
        List<byte[]> parts = new ArrayList<>(members());
        int end = concat(parts).length;
        parts.add("not gzip\n".getBytes(StandardCharsets.US_ASCII));
        Read read = readAll(pausingPipe(parts));
        assertEquals(null, read.failure());
        assertEquals(300, read.lines().size());
        assertEquals(List.of("<stdin>: the gzip data ends at compressed byte " + end + "; what follows is not gzip "
                + "data and was ignored (trailing garbage, as zcat says)"), read.warnings());
    }

    @Test
    void headersWithNameCommentExtraFieldAndHeaderCrcAreRead() throws Exception {
        byte[] text = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        gz.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3});
        gz.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'}); // FEXTRA: 3 bytes
        gz.writeBytes("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        gz.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        gz.writeBytes(new byte[] {0x12, 0x34}); // FHCRC
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(deflated, new Deflater(9, true))) {
            d.write(text);
        }
        gz.writeBytes(deflated.toByteArray());
        CRC32 crc = new CRC32();
        crc.update(text);
        long c = crc.getValue();
        gz.writeBytes(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24), (byte) text.length, 0, 0,
            0});
        List<byte[]> parts = new ArrayList<>(List.of(gz.toByteArray()));
        parts.addAll(members());
        Read read = readAll(pausingPipe(parts));
        assertEquals(null, read.failure());
        assertEquals(302, read.lines().size());
        assertEquals(List.of("one", "two"), read.lines().subList(0, 2));
    }

    @Test
    void aFirstHeaderThatIsNotGzipFailsBeforeAnyRecord() {
        byte[] bad = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3};
        InputException e = assertThrows(InputException.class,
                () -> Inputs.open(Input.stdin(), null, ReaderOptions.defaults(), new java.io.ByteArrayInputStream(bad)));
        assertTrue(e.getMessage().contains("unknown method"), e::getMessage);
    }
}
