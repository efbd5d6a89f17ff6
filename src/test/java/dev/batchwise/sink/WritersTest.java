package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.source.Fields;
import dev.batchwise.source.Origin;
import dev.batchwise.source.Record;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The output writers' bytes: JSON Lines, CSV and the errors file, for each kind of value. */
class WritersTest {

    private static final Origin ORIGIN = new Origin("in.csv", 7);

    private static Result ok(long seq, Object key, Object... outputs) {
        return new Result(seq, key, ORIGIN, outputs, null, null, 1_500_000, 2_250_000, 3_000_999, 4);
    }

    private static Result failed(long seq, Object key, Record input) {
        return new Result(seq, key, ORIGIN, null, new Failure(Failure.Code.FUNCTION_ERROR, "boom"), input, 0, 0, 0, 0);
    }

    private static Fields fields(Map<String, Object> values) {
        return new Fields() {
            @Override
            public Object get(String name) {
                return values.get(name);
            }

            @Override
            public List<String> names() {
                return List.copyOf(values.keySet());
            }
        };
    }

    private static String jsonl(OutputLayout layout, Result... results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter w = OutputFormat.JSONL.open(out, layout, true)) {
            for (Result r : results) {
                w.write(r);
            }
            w.flush();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String csv(OutputLayout layout, boolean header, Result... results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ResultWriter w = OutputFormat.CSV.open(out, layout, header)) {
            for (Result r : results) {
                w.write(r);
            }
            w.flush();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesWriteEveryKindOfValue() throws IOException {
        OutputLayout layout = new OutputLayout(List.of("s", "l", "i", "d", "f", "b", "n", "v", "m"), false);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("label", "pos");
        map.put("score", 0.5);
        String line = jsonl(layout, ok(1, "a1", "text", 5L, 6, 0.25, 1.5f, true, null, new float[] {1f, -2.5f},
                map));
        assertEquals("{\"id\":\"a1\",\"s\":\"text\",\"l\":5,\"i\":6,\"d\":0.25,\"f\":1.5,\"b\":true,\"n\":null,"
                + "\"v\":[1.0,-2.5],\"m\":{\"label\":\"pos\",\"score\":0.5}}\n", line);
    }

    @Test
    void jsonLinesWriteAFailureAsAnErrorObjectWithItsOrigin() throws IOException {
        String line = jsonl(new OutputLayout(List.of("out"), false), failed(3, 12L, null));
        assertEquals("{\"id\":12,\"error\":{\"code\":\"function_error\",\"message\":\"boom\",\"source\":\"in.csv\","
                + "\"line\":7}}\n", line);
    }

    @Test
    void jsonLinesWithTimingAddMillisecondsToTheMicrosecondAndTheBatchSize() throws IOException {
        String line = jsonl(new OutputLayout(List.of("out"), true), ok(1, 1L, "x"));
        assertEquals("{\"id\":1,\"out\":\"x\",\"queue_ms\":1.500,\"compute_ms\":2.250,\"latency_ms\":3.000,"
                + "\"batch_size\":4}\n", line);
    }

    @Test
    void csvHasAHeaderAnErrorColumnAndJsonTextForValuesThatAreNotScalars() throws IOException {
        OutputLayout layout = new OutputLayout(List.of("vec", "n", "b"), false);
        String text = csv(layout, true, ok(1, "k1", new float[] {0.5f, 1f}, 3, false), failed(2, "k2", null));
        assertEquals("id,vec,n,b,error\n"
                + "k1,\"[0.5,1.0]\",3,false,\n"
                + "k2,,,,\"function_error at in.csv:7: boom\"\n", text);
    }

    @Test
    void csvWithoutHeaderForAResumedOutputAndWithTiming() throws IOException {
        String text = csv(new OutputLayout(List.of("out"), true), false, ok(1, "k", (Object) null));
        assertEquals("k,,,1.500,2.250,3.000,4\n", text);
    }

    @Test
    void csvCellsOfJsonValuesAreTheirText() throws IOException {
        JsonMapper m = JsonMapper.builder().build();
        assertEquals("word", Values.cell(m.readTree("\"word\"")));
        assertEquals("2", Values.cell(m.readTree("2")));
        assertEquals("{\"a\":[1,2]}", Values.cell(m.readTree("{\"a\":[1,2]}")));
        assertEquals("", Values.cell(null));
        assertEquals("[\"x\"]", Values.cell(List.of("x")));
    }

    @Test
    void keysAreComparedAsEachFormatWritesThem() throws IOException {
        assertEquals("\"a\"", OutputFormat.JSONL.keyText("a"));
        assertEquals("7", OutputFormat.JSONL.keyText(7L));
        assertEquals("a", OutputFormat.CSV.keyText("a"));
        assertEquals("7", OutputFormat.CSV.keyText(7L));
    }

    @Test
    void theOutputFormatFollowsTheFileName() {
        assertSame(OutputFormat.CSV, OutputFormat.fromFileName("OUT.CSV"));
        assertSame(OutputFormat.JSONL, OutputFormat.fromFileName("out.jsonl"));
        assertSame(OutputFormat.JSONL, OutputFormat.fromFileName("out.ndjson"));
        assertSame(OutputFormat.JSONL, OutputFormat.fromFileName("out.json"));
        assertNull(OutputFormat.fromFileName("out.txt"));
    }

    @Test
    void theLayoutNamesItsColumnsInOrderAndReservesThem() {
        assertEquals(List.of("id", "a", "b", "error"), new OutputLayout(List.of("a", "b"), false).columns());
        assertEquals(List.of("id", "a", "error", "queue_ms", "compute_ms", "latency_ms", "batch_size"),
                new OutputLayout(List.of("a"), true).columns());
        assertEquals(Set.of("id", "error", "queue_ms", "compute_ms", "latency_ms", "batch_size"),
                OutputLayout.reservedNames());
    }

    @Test
    void theErrorsFileHoldsTheRecordAsReadAndTheErrorWithItsSeq() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("text", "hello");
        values.put("_error", "from an earlier run");
        values.put("_raw", "old");
        values.put("missing", null);
        values.put("n", "3");
        Record record = Record.of(5, ORIGIN, fields(values));
        Record unparsed = Record.bad(6, ORIGIN, dev.batchwise.util.Phrase.text("unbalanced quote"), "7,\"never");
        Record unkept = Record.bad(8, ORIGIN, "too long");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FailedRecordWriter w = new FailedRecordWriter(out)) {
            w.write(failed(5, "k5", record));
            w.write(ok(6, "k6", "fine"));
            w.write(failed(6, "k6", unparsed));
            w.write(failed(8, "k8", unkept));
            w.flush();
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length, "successes are not in the errors file");
        String error = "\"_error\":{\"code\":\"function_error\",\"message\":\"boom\",\"source\":\"in.csv\",\"line\":7,";
        // the record's own fields named like the format's get one more underscore
        assertEquals("{\"text\":\"hello\",\"__error\":\"from an earlier run\",\"__raw\":\"old\",\"n\":\"3\"," + error
                + "\"seq\":5}}", lines[0]);
        // a record that could not be parsed keeps the key it was given (its salvaged id) beside its seq
        assertEquals("{\"_raw\":\"7,\\\"never\"," + error + "\"seq\":6,\"id\":\"k6\"}}", lines[1]);
        assertEquals("{" + error + "\"seq\":8,\"id\":\"k8\"}}", lines[2]);
    }

    @Test
    void millisecondsKeepMicrosecondsAndDropNanoseconds() {
        assertEquals("0.000", Values.millis(999).toPlainString());
        assertEquals("0.001", Values.millis(1_000).toPlainString());
        assertEquals("1234.567", Values.millis(1_234_567_890).toPlainString());
        assertTrue(Values.millis(0).signum() == 0);
    }

    @Test
    void keptColumnsGoBetweenTheIdAndTheOutputsInBothFormats() throws IOException {
        OutputLayout layout = new OutputLayout(List.of("out"), false, List.of("text", "lang"));
        Result kept = new Result(1, 1L, ORIGIN, new Object[] {"R"}, null, null, 0, 0, 0, 1, new Object[] {"hi", null});
        Result unread = Result.failedBeforeRunning(Record.bad(2, ORIGIN, "unbalanced quote"), 2L,
                new Failure(Failure.Code.BAD_INPUT, "unbalanced quote"));
        assertEquals("{\"id\":1,\"text\":\"hi\",\"lang\":null,\"out\":\"R\"}\n"
                + "{\"id\":2,\"text\":null,\"lang\":null,\"error\":{\"code\":\"bad_input\",\"message\":\"unbalanced quote\","
                + "\"source\":\"in.csv\",\"line\":7}}\n", jsonl(layout, kept, unread));
        assertEquals("id,text,lang,out,error\n1,hi,,R,\n2,,,,\"bad_input at in.csv:7: unbalanced quote\"\n",
                csv(layout, true, kept, unread));
    }

    @Test
    void aFlushSendsTheLinesOnAndAClosePushesWhatWasNotFlushed() throws IOException {
        OutputLayout layout = new OutputLayout(List.of("out"), false);
        for (OutputFormat format : OutputFormat.values()) {
            if (format.binary()) {
                continue; // Parquet's flush writes nothing and .npy's is a header rewrite: CompactOutputsTest
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ResultWriter w = format.open(out, layout, false);
            w.write(ok(1, 1L, "first"));
            w.flush();
            String flushed = out.toString(StandardCharsets.UTF_8);
            assertTrue(flushed.contains("first"), format + ": " + flushed);
            w.write(ok(2, 2L, "second"));
            w.close();
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(flushed), format.label());
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("second"), format + ": closing flushes");
        }
    }

    @Test
    void aRecordFromAnErrorsFileKeepsTheSeqOfTheRunThatFirstFailedIt() throws Exception {
        Record again;
        try (var reader = dev.batchwise.source.Inputs.open(dev.batchwise.source.Input.stdin(),
                dev.batchwise.source.InputFormat.JSONL, dev.batchwise.source.ReaderOptions.defaults(),
                new java.io.ByteArrayInputStream(("{\"text\":\"hello\",\"_error\":{\"code\":\"function_error\","
                        + "\"message\":\"boom\",\"seq\":41}}\n").getBytes(StandardCharsets.UTF_8)))) {
            again = reader.next(3);
        }
        assertEquals(41L, again.originalSeq());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FailedRecordWriter w = new FailedRecordWriter(out)) {
            w.write(failed(3, "k3", again));
        }
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("{\"text\":\"hello\",\"_error\":{") && line.endsWith("\"seq\":41}}\n"), line);
    }
}
