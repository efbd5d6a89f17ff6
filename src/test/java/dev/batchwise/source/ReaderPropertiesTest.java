package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.builtin.Echo;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.PipelineConfig;
import dev.batchwise.pipeline.InputSpec;
import dev.batchwise.pipeline.FailureSpec;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.testing.Property;
import dev.batchwise.testing.Runs;
import dev.batchwise.time.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The readers on random bytes and on random mutations of valid CSV, TSV, JSON Lines and text: the
 * only exception that may come out of them is {@link InputException} (the input as a whole cannot be
 * read); anything else is a record, good or bad, in order. Where the input is valid, the records
 * are exactly the rows written. Seeded and shrinking: see {@link Property}.
 */
class ReaderPropertiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Small, so that the record size limit is hit often. */
    private static final int MAX_RECORD_BYTES = 64;
    private static final InputFormat[] FORMATS = InputFormat.values();

    /** What reading an input gave: its records, and the input error that stopped it, if one did. */
    record Read(List<Record> records, InputException error) {}

    /** Reads all of {@code bytes} as standard input; any exception but {@link InputException} escapes. */
    static Read readAll(byte[] bytes, InputFormat format, ReaderOptions options) {
        List<Record> records = new ArrayList<>();
        try (RecordSource source = new RecordSource(List.of(Input.stdin()), format, options,
                new ByteArrayInputStream(bytes), w -> {})) {
            source.prepare();
            Record r;
            while ((r = source.next()) != null) {
                records.add(r);
            }
            return new Read(records, null);
        } catch (InputException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return new Read(records, e);
        }
    }

    /** Sequence numbers run 1, 2, ...; line numbers only go forward; a record has fields or a one-line problem. */
    static void assertWellFormed(List<Record> records) {
        long lastLine = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            assertEquals(i + 1, r.seq());
            assertEquals(Input.STDIN_NAME, r.origin().source());
            long previous = lastLine;
            assertTrue(r.origin().line() > previous, () -> "line " + r.origin().line() + " after " + previous);
            lastLine = r.origin().line();
            if (r.isBad()) {
                assertFalse(r.problem().toString().isBlank());
                assertFalse(r.problem().toString().contains("\n"), r.problem().toString());
            } else {
                assertNotNull(r.fields());
            }
        }
    }

    // ---- random bytes

    record Noise(byte[] bytes, InputFormat format, boolean header, boolean ragged) {
        Noise withBytes(byte[] b) {
            return new Noise(b, format, header, ragged);
        }

        @Override
        public String toString() {
            return format + (header ? "" : " --no-header") + (ragged ? " --ragged-rows" : "") + " "
                    + Property.show(bytes);
        }
    }

    private static void forAllNoise(int tries, boolean withFormat, java.util.function.Consumer<Noise> property) {
        Property.forAll(tries,
                r -> new Noise(noise(r), withFormat ? FORMATS[r.nextInt(FORMATS.length)] : null, r.nextBoolean(),
                        r.nextBoolean()),
                c -> Property.shrinkBytes(c.bytes()).stream().map(c::withBytes).toList(),
                property, Noise::toString);
    }

    @Test
    void anyBytesInAnyFormatGiveRecordsOrAnInputError() {
        forAllNoise(600, true, c -> assertWellFormed(
                readAll(c.bytes(), c.format(), new ReaderOptions(MAX_RECORD_BYTES, c.header(), c.ragged())).records()));
    }

    @Test
    void anyBytesWithoutAFormatAreSniffedAndRead() {
        forAllNoise(300, false, c -> assertWellFormed(
                readAll(c.bytes(), null, new ReaderOptions(MAX_RECORD_BYTES, true, false)).records()));
    }

    @Test
    void truncatedGzipIsAnInputErrorAfterTheRecordsBeforeIt() {
        Property.forAll(150, r -> {
            byte[] zipped = gzip(noise(r));
            return Arrays.copyOf(zipped, 2 + r.nextInt(zipped.length - 1));
        }, Property::shrinkBytes, bytes -> {
            Read read = readAll(bytes, InputFormat.TEXT, new ReaderOptions(MAX_RECORD_BYTES, true, false));
            assertWellFormed(read.records());
        }, Property::show);
    }

    @Test
    void everyLineOfTextIsOneRecord() {
        forAllNoise(600, false, c -> {
            byte[] bytes = c.bytes();
            Read read = readAll(bytes, InputFormat.TEXT, new ReaderOptions(MAX_RECORD_BYTES, true, false));
            assertNull(read.error());
            List<byte[]> lines = lines(bytes);
            assertEquals(lines.size(), read.records().size());
            assertWellFormed(read.records());
            for (int i = 0; i < lines.size(); i++) {
                Record r = read.records().get(i);
                assertEquals(i + 1, r.origin().line());
                byte[] line = lines.get(i);
                boolean tooLong = line.length > MAX_RECORD_BYTES;
                if (i == 0 && startsWithBom(line)) {
                    line = Arrays.copyOfRange(line, 3, line.length);
                }
                String decoded = strictUtf8(line);
                if (tooLong) {
                    assertTrue(r.isBad() && r.problem().toString().startsWith("line is "), r::toString);
                } else if (decoded == null) {
                    assertTrue(r.isBad() && r.problem().toString().startsWith("not valid UTF-8"), r::toString);
                } else {
                    assertFalse(r.isBad(), r::toString);
                    assertEquals(decoded, r.fields().get("text"));
                }
            }
        });
    }

    @Test
    void aLineOfExactlyTheLimitIsAcceptedWhateverItsLineEnd() {
        String exact = "x".repeat(MAX_RECORD_BYTES);
        byte[] bytes = (exact + "\r\n" + exact + "\n" + exact + "y\r\n" + exact).getBytes(StandardCharsets.UTF_8);
        List<Record> rs = readAll(bytes, InputFormat.TEXT, new ReaderOptions(MAX_RECORD_BYTES, true, false)).records();
        assertEquals(exact, rs.get(0).fields().get("text"));
        assertEquals(exact, rs.get(1).fields().get("text"));
        assertEquals("line is 65 bytes, over the limit of 64 bytes (raise it with max-record-size)",
                rs.get(2).problem().toString());
        assertEquals(exact, rs.get(3).fields().get("text"));
    }

    // ---- valid inputs, and mutations of them

    @Test
    void aValidCsvOfNRowsGivesNRecordsWithTheirValues() {
        Property.forAll(400, r -> table(r, "ab ,\"\n\t1é€"), table -> {
            Read read = readAll(csv(table, table.hashCode() % 3 == 0).getBytes(StandardCharsets.UTF_8),
                    InputFormat.CSV, new ReaderOptions(1 << 20, true, false));
            assertNull(read.error());
            assertRows(table, read.records());
        });
    }

    @Test
    void aValidTsvOfNRowsGivesNRecordsWithTheirValues() {
        Property.forAll(300, r -> table(r, "ab ,\"1é€"), table -> {
            List<List<String>> rows = table.stream().filter(row -> !String.join("\t", row).isBlank()).toList();
            Read read = readAll(tsv(rows).getBytes(StandardCharsets.UTF_8), InputFormat.TSV,
                    new ReaderOptions(1 << 20, true, false));
            assertNull(read.error());
            assertRows(rows, read.records());
        });
    }

    @Test
    void validJsonLinesGiveOneRecordPerObject() {
        Property.forAll(300, r -> table(r, "ab ,\"\n\t1é€\\"), table -> {
            Read read = readAll(jsonl(table).getBytes(StandardCharsets.UTF_8), InputFormat.JSONL,
                    new ReaderOptions(1 << 20, true, false));
            assertNull(read.error());
            List<String> names = table.get(0);
            assertEquals(table.size() - 1, read.records().size());
            for (int i = 1; i < table.size(); i++) {
                Record rec = read.records().get(i - 1);
                assertEquals(names, rec.fields().names());
                for (int c = 0; c < names.size(); c++) {
                    assertEquals(table.get(i).get(c), ((JsonNode) rec.fields().get(names.get(c))).textValue());
                }
            }
        });
    }

    record Mutated(byte[] bytes, InputFormat format, boolean ragged) {
        @Override
        public String toString() {
            return format + (ragged ? " --ragged-rows " : " ") + Property.show(bytes);
        }
    }

    private static Mutated mutated(Random r, boolean textFieldFirst) {
        List<List<String>> table = table(r, "ab ,\"\n\t1é€");
        InputFormat format = FORMATS[r.nextInt(FORMATS.length)];
        String valid = switch (format) {
            case CSV -> csv(table, r.nextBoolean());
            case TSV -> tsv(table);
            case JSONL, OPENAI_BATCH -> jsonl(textFieldFirst ? renamedFirstColumn(table, "text") : table);
            case TEXT -> String.join("\n", table.stream().map(row -> String.join(" ", row)).toList()) + "\n";
        };
        return new Mutated(mutate(valid.getBytes(StandardCharsets.UTF_8), r), format, r.nextBoolean());
    }

    @Test
    void mutatedInputsGiveRecordsOrAnInputError() {
        Property.forAll(800, r -> mutated(r, false),
                c -> Property.shrinkBytes(c.bytes()).stream().map(b -> new Mutated(b, c.format(), c.ragged())).toList(),
                c -> assertWellFormed(readAll(c.bytes(), c.format(),
                        new ReaderOptions(MAX_RECORD_BYTES, true, c.ragged())).records()),
                Mutated::toString);
    }

    /**
     * The whole pipeline on mutated inputs: nothing escapes but the tool's own input and mapping
     * errors, and a run writes one output line per record read, in order.
     */
    @Test
    void thePipelineWritesOneLinePerRecordWhateverTheInput() {
        Property.forAll(200, r -> mutated(r, true),
                c -> Property.shrinkBytes(c.bytes()).stream().map(b -> new Mutated(b, c.format(), c.ragged())).toList(),
                ReaderPropertiesTest::runPipeline, Mutated::toString);
    }

    private static void runPipeline(Mutated c) {
        boolean delimited = c.format() == InputFormat.CSV || c.format() == InputFormat.TSV;
        InputSpec input = Runs.with(InputSpec.builder(), i -> {
            i.format = c.format();
            i.maxRecordBytes = MAX_RECORD_BYTES;
            i.header = false;
            i.raggedRows = c.ragged();
            i.mapping = delimited ? Map.of("text", "1") : Map.of();
        }).build();
        PipelineConfig config = Runs.config(input, new Echo().configure(FnArgs.none("echo")), new ArrivalSpec.Burst(),
                Runs.batches(4, b -> b.queueCapacity = 8), 2, FailureSpec.builder().build(), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Outcome outcome;
        try {
            outcome = Runs.readAndWrite(new Pipeline(config, Clock.SYSTEM,
                    dev.batchwise.sink.OrderedSink.Listener.none()), new ByteArrayInputStream(c.bytes()), out);
        } catch (InputException | dev.batchwise.util.SettingException e) {
            assertFalse(e.getMessage().isBlank());
            return;
        } catch (Exception e) {
            throw new AssertionError("escaped the pipeline: " + e, e);
        }
        assertTrue(outcome.ending() == Outcome.Ending.COMPLETED || outcome.ending() == Outcome.Ending.INPUT_FAILED,
                outcome::toString);
        List<JsonNode> lines = Runs.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(outcome.written(), lines.size());
        assertEquals(outcome.read(), outcome.written());
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i + 1, lines.get(i).get("id").asInt());
        }
    }

    // ---- generators

    private static final byte[] PLAIN = "ab1 .".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STRUCTURE = ",\"\n\r\t{}[]:\\ ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UTF8_PIECES = {(byte) 0xC3, (byte) 0xA9, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF,
        (byte) 0xE2, (byte) 0x82, (byte) 0xAC, (byte) 0xFF};

    /**
     * Bytes that look like structure more often than uniform noise would: plain text, delimiters,
     * quotes, brackets, line ends, pieces of UTF-8 sequences; now and then a line right at the record
     * size limit.
     */
    static byte[] noise(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int parts = 1 + r.nextInt(3);
        for (int p = 0; p < parts; p++) {
            if (r.nextInt(4) == 0) {
                int n = MAX_RECORD_BYTES - 2 + r.nextInt(6);
                out.writeBytes(("x".repeat(n) + (r.nextBoolean() ? "\r\n" : "\n")).getBytes(StandardCharsets.US_ASCII));
                continue;
            }
            int length = r.nextInt(200);
            for (int i = 0; i < length; i++) {
                int pick = r.nextInt(17);
                out.write(pick < 8 ? PLAIN[r.nextInt(PLAIN.length)]
                        : pick < 14 ? STRUCTURE[r.nextInt(STRUCTURE.length)]
                        : pick < 16 ? UTF8_PIECES[r.nextInt(UTF8_PIECES.length)]
                        : r.nextInt(256));
            }
        }
        return out.toByteArray();
    }

    /** A header of 1 to 4 distinct names, then up to 12 rows of values of up to 8 characters of {@code alphabet}. */
    static List<List<String>> table(Random r, String alphabet) {
        int columns = 1 + r.nextInt(4);
        List<List<String>> t = new ArrayList<>();
        List<String> header = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
            header.add("c" + c);
        }
        t.add(header);
        int rows = r.nextInt(13);
        for (int i = 0; i < rows; i++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                StringBuilder v = new StringBuilder();
                int length = r.nextInt(9);
                for (int k = 0; k < length; k++) {
                    v.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                row.add(v.toString());
            }
            t.add(row);
        }
        return t;
    }

    /** One to five random edits: a byte deleted, inserted or replaced, a span repeated, the end cut off. */
    static byte[] mutate(byte[] input, Random r) {
        byte[] bytes = input;
        int edits = 1 + r.nextInt(5);
        for (int e = 0; e < edits; e++) {
            int at = r.nextInt(bytes.length + 1);
            byte b = r.nextInt(5) == 0 ? (byte) r.nextInt(256) : STRUCTURE[r.nextInt(STRUCTURE.length)];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (r.nextInt(5)) {
                case 0 -> {
                    out.write(bytes, 0, at);
                    if (at < bytes.length) {
                        out.write(bytes, at + 1, bytes.length - at - 1);
                    }
                }
                case 1 -> {
                    out.write(bytes, 0, at);
                    out.write(b);
                    out.write(bytes, at, bytes.length - at);
                }
                case 2 -> {
                    out.writeBytes(bytes);
                    if (at < bytes.length) {
                        byte[] replaced = out.toByteArray();
                        replaced[at] = b;
                        out.reset();
                        out.writeBytes(replaced);
                    }
                }
                case 3 -> {
                    int end = Math.min(bytes.length, at + 1 + r.nextInt(64));
                    out.write(bytes, 0, end);
                    out.write(bytes, at, bytes.length - at);
                }
                default -> out.write(bytes, 0, at);
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }

    // ---- writers of valid inputs

    /** RFC 4180 CSV; blank values are quoted too, so that no row is a blank line (those are skipped). */
    static String csv(List<List<String>> table, boolean crlf) {
        StringBuilder b = new StringBuilder();
        for (List<String> row : table) {
            for (int c = 0; c < row.size(); c++) {
                if (c > 0) {
                    b.append(',');
                }
                String v = row.get(c);
                if (v.isBlank() || v.contains(",") || v.contains("\"") || v.contains("\n")) {
                    b.append('"').append(v.replace("\"", "\"\"")).append('"');
                } else {
                    b.append(v);
                }
            }
            b.append(crlf ? "\r\n" : "\n");
        }
        return b.toString();
    }

    static String tsv(List<List<String>> table) {
        StringBuilder b = new StringBuilder();
        for (List<String> row : table) {
            b.append(String.join("\t", row.stream().map(v -> v.replace('\t', ' ').replace('\n', ' ')).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    static String jsonl(List<List<String>> table) {
        StringBuilder b = new StringBuilder();
        List<String> names = table.get(0);
        try {
            for (List<String> row : table.subList(1, table.size())) {
                ObjectNode o = JSON.createObjectNode();
                for (int c = 0; c < names.size(); c++) {
                    o.put(names.get(c), row.get(c));
                }
                b.append(JSON.writeValueAsString(o)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toString();
    }

    private static List<List<String>> renamedFirstColumn(List<List<String>> table, String name) {
        List<List<String>> t = new ArrayList<>(table);
        List<String> header = new ArrayList<>(t.get(0));
        header.set(0, name);
        t.set(0, header);
        return t;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private static void assertRows(List<List<String>> table, List<Record> records) {
        List<String> names = table.get(0);
        assertEquals(table.size() - 1, records.size(), () -> "records " + records + " of " + table);
        for (int i = 1; i < table.size(); i++) {
            Record r = records.get(i - 1);
            assertFalse(r.isBad(), r::toString);
            assertEquals(names, r.fields().names());
            for (int c = 0; c < names.size(); c++) {
                assertEquals(table.get(i).get(c), r.fields().get(names.get(c)));
            }
        }
    }

    /** The lines of an input as {@code LineReader} splits them: on LF, less a CR before it; a final line without LF counts. */
    private static List<byte[]> lines(byte[] bytes) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(stripCr(Arrays.copyOfRange(bytes, start, i)));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(stripCr(Arrays.copyOfRange(bytes, start, bytes.length)));
        }
        return lines;
    }

    private static byte[] stripCr(byte[] line) {
        return line.length > 0 && line[line.length - 1] == '\r' ? Arrays.copyOf(line, line.length - 1) : line;
    }

    private static boolean startsWithBom(byte[] line) {
        return line.length >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF;
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
