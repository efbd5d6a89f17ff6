package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {

    @TempDir
    Path dir;

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static List<Record> readAll(RecordReader reader) throws IOException {
        List<Record> records = new ArrayList<>();
        Record r;
        long seq = 1;
        while ((r = reader.next(seq++)) != null) {
            records.add(r);
        }
        return records;
    }

    private List<Record> read(String name, String content) throws Exception {
        return read(name, content, ReaderOptions.defaults());
    }

    private List<Record> read(String name, String content, ReaderOptions options) throws Exception {
        Path p = file(name, content);
        try (RecordReader reader = Inputs.open(new Input(name, p), null, options, InputStream.nullInputStream())) {
            return readAll(reader);
        }
    }

    private static Object field(Record r, String name) {
        return r.fields().get(name);
    }

    @Nested
    class Csv {
        @Test
        void quotedFieldsHoldCommasQuotesAndNewlines() throws Exception {
            List<Record> rs = read("q.csv", "id,text\n"
                    + "1,\"a, b\"\n"
                    + "2,\"she said \"\"hi\"\"\"\n"
                    + "3,\"two\nlines\"\n"
                    + "4,plain\n");
            assertEquals(4, rs.size());
            assertEquals("a, b", field(rs.get(0), "text"));
            assertEquals("she said \"hi\"", field(rs.get(1), "text"));
            assertEquals("two\nlines", field(rs.get(2), "text"));
            assertEquals("plain", field(rs.get(3), "text"));
            // a record's origin is the line it starts on
            assertEquals(List.of(2L, 3L, 4L, 6L), rs.stream().map(r -> r.origin().line()).toList());
        }

        @Test
        void crlfLineEndsAndAByteOrderMarkAreHandled() throws Exception {
            List<Record> rs = read("w.csv", "\uFEFFid,text\r\n1,x\r\n2,\"y\r\nz\"\r\n");
            assertEquals(List.of("id", "text"), rs.get(0).fields().names());
            assertEquals("x", field(rs.get(0), "text"));
            assertEquals("y\nz", field(rs.get(1), "text"));
        }

        @Test
        void anUnbalancedQuoteCostsOneRecordAndReadingResumesOnTheNextLine() throws Exception {
            List<Record> rs = read("u.csv", "id,text\n1,ok\n2,\"never closed\n3,fine\n4,also fine\n");
            assertEquals(4, rs.size());
            assertEquals("ok", field(rs.get(0), "text"));
            assertTrue(rs.get(1).isBad());
            assertEquals(3, rs.get(1).origin().line());
            assertTrue(rs.get(1).problem().toString().startsWith("unbalanced quote"), rs.get(1).problem().toString());
            assertEquals("fine", field(rs.get(2), "text"));
            assertEquals(4, rs.get(2).origin().line());
            assertEquals("also fine", field(rs.get(3), "text"));
        }

        @Test
        void aQuotedFieldLongerThanTheLimitIsCutOffAsUnbalanced() throws Exception {
            String body = "id,text\n1,\"open\n" + "x\n".repeat(100) + "2,after\n";
            List<Record> rs = read("l.csv", body, new ReaderOptions(64, true, false));
            assertTrue(rs.get(0).isBad());
            assertTrue(rs.get(0).problem().toString().contains("within 64 bytes"), rs.get(0).problem().toString());
            // the lines after the opening one are read again as rows of their own
            assertEquals("after", field(rs.get(rs.size() - 1), "text"));
        }

        @Test
        void rowsWithTooFewOrTooManyFieldsAreBadRecords() throws Exception {
            List<Record> rs = read("r.csv", "a,b,c\n1,2,3\n1,2\n1,2,3,4\n");
            assertTrue(!rs.get(0).isBad());
            assertEquals("has 2 fields but the header has 3 (fix the row, or accept such rows with ragged-rows)",
                    rs.get(1).problem().toString());
            assertEquals("has 4 fields but the header has 3 (fix the row, or accept such rows with ragged-rows)",
                    rs.get(2).problem().toString());
        }

        @Test
        void aDuplicateHeaderNameIsAnInputError() {
            InputException e = assertThrows(InputException.class, () -> read("d.csv", "text,id,text\n1,2,3\n"));
            assertEquals("d.csv:1: the header names 'text' twice (columns 1 and 3); rename one", e.getMessage());
        }

        @Test
        void withoutAHeaderColumnsAreNumbered() throws Exception {
            List<Record> rs = read("n.csv", "x,y\nz,w\n", new ReaderOptions(1 << 20, false, false));
            assertEquals(2, rs.size());
            assertEquals("x", field(rs.get(0), "1"));
            assertEquals("w", field(rs.get(1), "2"));
        }

        @Test
        void blankLinesAreSkipped() throws Exception {
            List<Record> rs = read("b.csv", "t\n\na\n\n\nb\n");
            assertEquals(List.of("a", "b"), rs.stream().map(r -> field(r, "t")).toList());
        }
    }

    @Nested
    class Tsv {
        @Test
        void splitsOnTabsAndKeepsQuotesLiterally() throws Exception {
            List<Record> rs = read("s.tsv", "id\ttext\n1\tsaid \"hi\", twice\n");
            assertEquals("said \"hi\", twice", field(rs.get(0), "text"));
        }

        @Test
        void raggedRowsAreBadRecordsUnlessAllowed() throws Exception {
            String body = "a\tb\tc\n1\t2\t3\n4\t5\n6\t7\t8\t9\n10\t11\t12\n";
            List<Record> strict = read("r.tsv", body);
            assertEquals(List.of(false, true, true, false), strict.stream().map(Record::isBad).toList());
            assertEquals(3, strict.get(1).origin().line());

            List<Record> lenient = read("r2.tsv", body, new ReaderOptions(1 << 20, true, true));
            assertEquals(List.of(false, false, false, false), lenient.stream().map(Record::isBad).toList());
            assertNull(field(lenient.get(1), "c"));
            assertEquals("8", field(lenient.get(2), "c"));
        }
    }

    @Nested
    class Jsonl {
        @Test
        void aBadLineIsABadRecordWithItsLineNumberAndTheRestIsRead() throws Exception {
            List<Record> rs = read("j.jsonl", "{\"text\": \"a\"}\n{\"text\": \"b\"\n\n[1, 2]\n{\"text\": \"c\"} x\n"
                    + "{\"text\": 1, \"text\": 2}\n{\"text\": \"d\"}\n");
            assertEquals(6, rs.size());
            assertEquals("a", ((JsonNode) field(rs.get(0), "text")).asText());
            assertTrue(rs.get(1).isBad());
            assertEquals(2, rs.get(1).origin().line());
            assertTrue(rs.get(1).problem().toString().startsWith("not valid JSON: "), rs.get(1).problem().toString());
            assertEquals(4, rs.get(2).origin().line());
            assertEquals("is a JSON array, not an object; each line must be one object such as {\"text\": \"...\"}",
                    rs.get(2).problem().toString());
            assertTrue(rs.get(3).problem().toString().startsWith("not valid JSON: "), rs.get(3).problem().toString());
            assertTrue(rs.get(4).problem().toString().contains("Duplicate field 'text'"), rs.get(4).problem().toString());
            assertEquals("d", ((JsonNode) field(rs.get(5), "text")).asText());
            assertEquals(7, rs.get(5).origin().line());
        }

        @Test
        void columnsComeFromTheFirstObject() throws Exception {
            Path p = file("c.jsonl", "{\"review\": \"good\", \"stars\": 5}\n{\"review\": \"bad\"}\n");
            try (RecordReader r = Inputs.open(new Input("c.jsonl", p), null, ReaderOptions.defaults(), null)) {
                assertEquals(List.of("review", "stars"), r.columns());
                assertEquals(2, readAll(r).size());
            }
        }

        @Test
        void aJsonArrayFileGetsAHint() throws Exception {
            InputException e = assertThrows(InputException.class, () -> read("a.json", "[{\"text\": \"x\"}]\n"));
            assertEquals("a.json holds a JSON array; batchwise reads JSON Lines, one object per line: convert it with"
                    + "  jq -c '.[]' a.json", e.getMessage());
        }
    }

    @Nested
    class Text {
        @Test
        void everyLineIsARecordBlankOnesToo() throws Exception {
            List<Record> rs = read("t.txt", "one\n\nthree");
            assertEquals(List.of("one", "", "three"), rs.stream().map(r -> field(r, "text")).toList());
            assertEquals(List.of(1L, 2L, 3L), rs.stream().map(r -> r.origin().line()).toList());
        }

        @Test
        void anEmptyInputHasNoRecords() throws Exception {
            assertEquals(List.of(), read("e.txt", ""));
            assertEquals(List.of(), read("e.csv", ""));
            assertEquals(List.of(), read("e.jsonl", ""));
        }

        @Test
        void invalidUtf8IsABadRecordAndTheNextLineIsRead() throws Exception {
            Path p = dir.resolve("bad.txt");
            byte[] bad = {'o', 'k', '\n', 'b', (byte) 0xC3, (byte) 0x28, '\n', 'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9,
                '\n'};
            Files.write(p, bad);
            try (RecordReader r = Inputs.open(new Input("bad.txt", p), null, ReaderOptions.defaults(), null)) {
                List<Record> rs = readAll(r);
                assertEquals("ok", field(rs.get(0), "text"));
                assertEquals("not valid UTF-8 (at byte 2 of the line); re-encode the input as UTF-8",
                        rs.get(1).problem().toString());
                assertEquals("café", field(rs.get(2), "text"));
            }
        }

        @Test
        void aLineOverTheLimitIsABadRecordAndIsNotHeldInMemory() throws Exception {
            String big = "x".repeat(200_000);
            List<Record> rs = read("big.txt", "a\n" + big + "\nb\n", new ReaderOptions(1000, true, false));
            assertEquals("a", field(rs.get(0), "text"));
            assertEquals("line is 195.3 KiB, over the limit of 1000 bytes (raise it with max-record-size)",
                    rs.get(1).problem().toString());
            assertEquals("b", field(rs.get(2), "text"));
        }
    }

    @Nested
    class Opening {
        @Test
        void standardInputIsSniffedAsJsonlOrText() throws Exception {
            try (RecordReader r = Inputs.open(Input.stdin(), null, ReaderOptions.defaults(), bytes("  {\"a\": 1}\n"))) {
                assertEquals(List.of("a"), r.columns());
            }
            try (RecordReader r = Inputs.open(Input.stdin(), null, ReaderOptions.defaults(), bytes("hello\n"))) {
                assertEquals(List.of("text"), r.columns());
                Record rec = r.next(1);
                assertEquals("<stdin>:1", rec.origin().toString());
            }
        }

        @Test
        void gzipIsUndoneWhateverTheName() throws Exception {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
                gz.write("id,text\n1,zipped\n".getBytes(StandardCharsets.UTF_8));
            }
            Path p = dir.resolve("z.csv.gz");
            Files.write(p, buf.toByteArray());
            try (RecordReader r = Inputs.open(new Input("z.csv.gz", p), null, ReaderOptions.defaults(), null)) {
                assertEquals("zipped", field(readAll(r).get(0), "text"));
            }
        }

        @Test
        void missingFilesAndDirectoriesAreInputErrors() {
            InputException missing = assertThrows(InputException.class, () -> Inputs.open(
                    new Input("nope.csv", dir.resolve("nope.csv")), null, ReaderOptions.defaults(), null));
            assertEquals("nope.csv: no such file", missing.getMessage());
            InputException directory = assertThrows(InputException.class, () -> Inputs.open(
                    new Input("d", dir), null, ReaderOptions.defaults(), null));
            assertTrue(directory.getMessage().startsWith("d is a directory"), directory.getMessage());
        }

        @Test
        void severalInputsAreNumberedAcrossAndEmptyOnesAreWarnedAbout() throws Exception {
            Path a = file("a.txt", "1\n2\n");
            Path e = file("e.txt", "");
            Path b = file("b.txt", "3\n");
            List<String> warnings = new ArrayList<>();
            try (RecordSource source = new RecordSource(List.of(new Input("a.txt", a), new Input("e.txt", e),
                    new Input("b.txt", b)), null, ReaderOptions.defaults(), null, warnings::add)) {
                source.prepare();
                List<String> seen = new ArrayList<>();
                Record r;
                while ((r = source.next()) != null) {
                    seen.add(r.seq() + "=" + r.origin());
                }
                assertEquals(List.of("1=a.txt:1", "2=a.txt:2", "3=b.txt:1"), seen);
            }
            assertEquals(List.of("e.txt has no records"), warnings);
        }
    }
}
