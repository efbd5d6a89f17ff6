package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import dev.batchwise.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A gzip input that breaks off: every complete record before the break is run and written, then exit 3. */
class TruncatedGzipTest {

    @TempDir
    Path dir;

    /** What a decompressor that stops at the break recovers: the complete lines, as zcat prints them. */
    private static List<String> recoverable(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 512)) {
            byte[] b = new byte[1];
            while (in.read(b, 0, 1) > 0) {
                out.write(b[0]);
            }
        } catch (IOException expected) {
            // the break
        }
        String text = out.toString(StandardCharsets.UTF_8);
        return Arrays.asList(text.substring(0, text.lastIndexOf('\n') + 1).split("\n"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.35, 0.5, 0.9, 0.999})
    void everyCompleteRecordBeforeTheBreakIsWritten(double keep) throws Exception {
        byte[] gz = gzipped();
        int length = (int) (gz.length * keep);
        check(Arrays.copyOf(gz, length), "at compressed byte " + length + " (the file is truncated)");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.2, 0.6})
    void everyCompleteRecordBeforeCorruptDataIsWritten(double at) throws Exception {
        byte[] gz = gzipped();
        Arrays.fill(gz, (int) (gz.length * at), (int) (gz.length * at) + 64, (byte) 0xff);
        check(gz, "");
    }

    private static byte[] gzipped() throws IOException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        for (int i = 1; i <= 60_000; i++) {
            text.append("record ").append(i).append(' ').append(Long.toHexString(random.nextLong())).append('\n');
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return gz.toByteArray();
    }

    private void check(byte[] truncated, String why) throws Exception {
        Path in = dir.resolve("big.txt.gz");
        Files.write(in, truncated);
        List<String> expected = recoverable(truncated);
        assertTrue(expected.size() > 1000, "the test needs records before the break");

        Path out = dir.resolve("out.jsonl");
        Cli.Run run = Cli.run("run", "--fn", "echo", "-q", "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot read " + in + ": the gzip data breaks off at compressed byte "),
                run::toString);
        assertTrue(run.err().contains(why + "; the complete records before it were read"), run::toString);
        List<String> written = Files.readAllLines(dir.resolve("out.jsonl.partial"));
        assertEquals(expected.size(), written.size(), run::toString);
        assertEquals("{\"id\":" + expected.size() + ",\"text\":\"" + expected.get(expected.size() - 1) + "\"}",
                written.get(written.size() - 1));
    }
}
