package dev.batchwise.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.sink.Float16Vector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An .npy reader following the format's specification, version 1.0 and 2.0 headers, C order. */
public final class NpyFile {
    public String descr;
    public long[] shape;
    public float[] floats;

    public static NpyFile read(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}, magic);
        int major = b.get();
        b.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] header = new byte[headerLength];
        b.get(header);
        String dict = new String(header, StandardCharsets.ISO_8859_1);
        assertEquals(0, b.position() % 64, "the data starts on a multiple of 64 bytes");
        assertTrue(dict.endsWith("\n"));
        NpyFile npy = new NpyFile();
        Matcher m = Pattern.compile("'descr':\\s*'([^']*)'.*'fortran_order':\\s*False.*'shape':\\s*\\(([^)]*)\\)")
                .matcher(dict);
        assertTrue(m.find(), dict);
        npy.descr = m.group(1);
        npy.shape = java.util.Arrays.stream(m.group(2).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = java.util.Arrays.stream(npy.shape).reduce(1, (x, y) -> x * y);
        npy.floats = new float[(int) count];
        for (int i = 0; i < count; i++) {
            npy.floats[i] = switch (npy.descr) {
                case "<f4" -> b.getFloat();
                case "<f2" -> Float16Vector.toFloat(b.getShort());
                default -> b.get();
            };
        }
        return npy;
    }
}
