package dev.batchwise.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Image files that tests make: a decompression bomb's header. */
public final class TestPictures {

    private TestPictures() {}

    /**
     * A PNG whose header claims {@code w x h} RGB pixels, followed by a little compressed data and an
     * end: a few hundred bytes that a decoder believing the header would spend w x h x 3 bytes on.
     */
    public static byte[] pngClaiming(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater deflater = new Deflater(9);
        deflater.setInput(new byte[1 << 20]);
        deflater.finish();
        byte[] zeros = new byte[1 << 16];
        int n = deflater.deflate(zeros);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(zeros, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String kind, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] k = kind.getBytes(StandardCharsets.US_ASCII);
        out.write(k);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(k);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
