package dev.batchwise.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store survives its process's {@code kill -9} in the middle of writing: a forked JVM puts
 * batches of entries in a loop, saying after each commit how many batches are in; it is killed
 * while writing, and the file is opened again here. SQLite's own integrity check passes, every batch
 * it said was committed is there in full, and no batch is there in part.
 */
class OutputStoreCrashTest {

    static final int BATCH = 200;

    @TempDir
    Path dir;

    @Test
    void aKilledWriterLeavesEveryCommittedBatchAndNoPartOfAnother() throws Exception {
        Path file = dir.resolve("cache.sqlite");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Writer.class.getName(), file.toString()).redirectErrorStream(true).start();
        int committed = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("committed ")) {
                    committed = Integer.parseInt(line.substring(10));
                    if (committed >= 30) {
                        p.destroyForcibly(); // SIGKILL, while the next batch is being written
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        try (OutputStore store = OutputStore.open(file)) {
            assertEquals(List.of("ok"), store.integrityCheck());
            long size = store.size();
            assertEquals(0, size % BATCH, size + " entries: a batch is there in part");
            assertTrue(size >= (long) committed * BATCH, size + " entries, " + committed + " batches committed");
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                keys.add(Writer.key(i));
            }
            byte[][] values = store.get(keys);
            for (int i = 0; i < size; i++) {
                assertArrayEquals(Writer.value(i), values[i], "entry " + i);
            }
        }
    }

    /** Puts batches of {@link #BATCH} entries until killed, printing the count after each commit. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            try (OutputStore store = OutputStore.open(Path.of(args[0]))) {
                for (int b = 0; ; b++) {
                    List<byte[]> keys = new ArrayList<>();
                    List<byte[]> values = new ArrayList<>();
                    for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
                        keys.add(key(i));
                        values.add(value(i));
                    }
                    store.put(keys, values);
                    System.out.println("committed " + (b + 1));
                    System.out.flush();
                }
            }
        }

        static byte[] key(int i) {
            return CachedFunctions.identity(new byte[] {1}, Integer.toString(i));
        }

        /** A vector of 384 floats, as an embedding's entry is. */
        static byte[] value(int i) {
            float[] v = new float[384];
            java.util.Arrays.fill(v, i);
            try {
                return OutputCodec.encode(new Object[] {v});
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
