package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.result.TextChunk;
import dev.batchwise.source.Origin;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.batchwise.testing.Duck;
import dev.batchwise.testing.NpyFile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet read back by DuckDB, and .npy read back by a reader written here from numpy's format
 * specification (NEP 1, "A Simple File Format for NumPy Arrays"), not from batchwise's writer.
 */
class CompactOutputsTest {

    static final Origin ORIGIN = new Origin("in.jsonl", 3);

    @TempDir
    Path dir;

    static Result ok(long seq, Object key, Object... outputs) {
        return new Result(seq, key, ORIGIN, outputs, null, null, 1_500_000, 2_250_000, 3_000_999, 4, new Object[] {"k" + seq});
    }

    static Result failed(long seq, Object key) {
        return new Result(seq, key, ORIGIN, null, new Failure(Failure.Code.FUNCTION_ERROR, "boom"), null, 0, 0, 0, 0,
                new Object[] {null});
    }

    static float[] vector(int seed) {
        return new float[] {seed, -seed / 2f, 0.25f * seed};
    }

    @Test
    void parquetOfVectorsReadsBackInDuckDb() throws Exception {
        Path file = dir.resolve("out.parquet");
        OutputLayout layout = new OutputLayout(List.of("embedding"), true, List.of("title"));
        try (OutputStream out = Files.newOutputStream(file);
                ParquetResultWriter w = new ParquetResultWriter(out, layout)) {
            w.write(failed(1, 1L)); // before the first success: held until the columns' types are known
            for (int i = 2; i <= 5; i++) {
                w.write(ok(i, (long) i, vector(i)));
            }
        }
        List<String> rows = Duck.rows("SELECT id, title, embedding, error, batch_size FROM '" + file + "' ORDER BY id");
        assertEquals(List.of("1|null|null|function_error at in.jsonl:3: boom|0",
                "2|k2|[2.0, -1.0, 0.5]|null|4", "3|k3|[3.0, -1.5, 0.75]|null|4", "4|k4|[4.0, -2.0, 1.0]|null|4",
                "5|k5|[5.0, -2.5, 1.25]|null|4"), rows);
        assertEquals(List.of("BIGINT|VARCHAR|FLOAT[]|DOUBLE"), Duck.rows("SELECT typeof(id), typeof(title), typeof(embedding), "
                + "typeof(queue_ms) FROM '" + file + "' LIMIT 1"));
    }

    @Test
    void parquetOfEncodedVectorsAndChunks() throws Exception {
        Path file = dir.resolve("chunks.parquet");
        OutputLayout layout = new OutputLayout(List.of("chunks", "half", "bits"), false, List.of("title"));
        try (OutputStream out = Files.newOutputStream(file);
                ParquetResultWriter w = new ParquetResultWriter(out, layout)) {
            w.write(ok(1, "a", List.of(new TextChunk(0, 0, 7, vector(1)), new TextChunk(1, 5, 12, vector(2))),
                    Float16Vector.of(new float[] {0.5f, -2f}), new Int8Vector(new byte[] {-128, 127})));
        }
        assertEquals(List.of("a|2|5|12|[2.0, -1.0, 0.5]|[0.5, -2.0]|[-128, 127]"), Duck.rows("SELECT id, len(chunks), "
                + "chunks[2].start, chunks[2].\"end\", chunks[2].embedding, half, bits FROM '" + file + "'"));
    }

    @Test
    void parquetOfARunWithNoSuccessHasStringOutputs() throws Exception {
        Path file = dir.resolve("none.parquet");
        try (OutputStream out = Files.newOutputStream(file);
                ParquetResultWriter w = new ParquetResultWriter(out, new OutputLayout(List.of("embedding"), false))) {
            w.write(failed(1, 1L));
        }
        assertEquals(List.of("1|null|function_error at in.jsonl:3: boom"), Duck.rows("SELECT id, embedding, error FROM '"
                + file + "'"));
    }

    @Test
    void npyFollowsNumpysFormatWithIdsBeside() throws Exception {
        Path array = dir.resolve("out.npy");
        Path ids = dir.resolve("out.ids.jsonl");
        try (FileChannel ch = FileChannel.open(array, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
                NpyResultWriter w = new NpyResultWriter(ch, Files.newOutputStream(ids),
                        new OutputLayout(List.of("embedding"), false, List.of("title")))) {
            w.write(failed(1, 1L));
            w.write(ok(2, 2L, vector(2)));
            w.write(ok(3, 3L, vector(3)));
        }
        NpyFile npy = NpyFile.read(array);
        assertEquals("<f4", npy.descr);
        assertArrayEquals(new long[] {3, 3}, npy.shape);
        assertTrue(Float.isNaN(npy.floats[0]));
        assertArrayEquals(new float[] {2, -1, 0.5f, 3, -1.5f, 0.75f}, java.util.Arrays.copyOfRange(npy.floats, 3, 9));
        assertEquals(List.of("{\"id\":1,\"title\":null,\"error\":{\"code\":\"function_error\",\"message\":\"boom\","
                + "\"source\":\"in.jsonl\",\"line\":3}}", "{\"id\":2,\"title\":\"k2\"}", "{\"id\":3,\"title\":\"k3\"}"),
                Files.readAllLines(ids));
    }

    @Test
    void npyIsValidAtEveryFlushAndResumesAfterTheRowsKept() throws Exception {
        Path array = dir.resolve("part.npy");
        OutputLayout layout = new OutputLayout(List.of("embedding"), false);
        FileChannel ch = FileChannel.open(array, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        NpyResultWriter w = new NpyResultWriter(ch, OutputStream.nullOutputStream(), layout);
        for (int i = 1; i <= 4; i++) {
            w.write(ok(i, (long) i, Float16Vector.of(vector(i))));
        }
        w.flush();
        w.write(ok(5, 5L, Float16Vector.of(vector(5)))); // written, then the run is killed: no close
        assertArrayEquals(new long[] {4, 3}, NpyFile.read(array).shape);
        ch.close();
        try (FileChannel again = FileChannel.open(array, StandardOpenOption.WRITE, StandardOpenOption.READ);
                NpyResultWriter resumed = NpyResultWriter.resume(again, OutputStream.nullOutputStream(), layout, 3)) {
            resumed.write(ok(4, 4L, Float16Vector.of(vector(40))));
        }
        NpyFile npy = NpyFile.read(array);
        assertEquals("<f2", npy.descr);
        assertArrayEquals(new long[] {4, 3}, npy.shape);
        assertEquals(40f, npy.floats[9]);
        assertEquals(0.5f, npy.floats[5]);
    }
}
