package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which JSON objects are lines of an errors file, and what they are read back as. */
class ErrorsFileFormatTest {

    private static Record read(String line) throws Exception {
        try (RecordReader reader = Inputs.open(Input.stdin(), InputFormat.JSONL, ReaderOptions.defaults(),
                new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)))) {
            return reader.next(1);
        }
    }

    @Test
    void aLineWithAnErrorAndItsFirstSeqIsTheRecordItStandsFor() throws Exception {
        Record r = read("{\"__raw\":\"a\",\"text\":\"hi\",\"_error\":{\"code\":\"c\",\"message\":\"m\",\"seq\":41}}");
        assertEquals(41L, r.originalSeq());
        assertEquals(List.of("_raw", "text"), r.fields().names());
        Record raw = read("{\"_raw\":\"7,\\\"never\",\"_error\":{\"code\":\"bad_input\",\"message\":\"unbalanced\",\"seq\":6}}");
        assertTrue(raw.isBad());
        assertEquals("7,\"never", raw.raw());
        assertEquals("unbalanced", raw.problem().render(dev.batchwise.util.Phrase.KEYS));
        assertEquals(6L, raw.originalSeq());
    }

    @Test
    void anythingElseIsAnOrdinaryRecordWithItsFieldsAsTheyAre() throws Exception {
        for (String seq : List.of("0", "-2", "\"41\"", "1.5", "1e30", "null", "18446744073709551617")) {
            Record r = read("{\"text\":\"hi\",\"_error\":{\"code\":\"c\",\"message\":\"m\",\"seq\":" + seq + "}}");
            assertNull(r.originalSeq(), seq);
            assertEquals(List.of("text", "_error"), r.fields().names(), seq);
        }
        for (String error : List.of("{}", "\"not an object\"", "{\"code\":\"c\",\"seq\":3}", "{\"message\":\"m\",\"seq\":3}")) {
            Record r = read("{\"text\":\"hi\",\"_error\":" + error + "}");
            assertNull(r.originalSeq(), error);
            assertEquals(List.of("text", "_error"), r.fields().names(), error);
        }
        assertNull(read("{\"text\":\"no error\"}").originalSeq());
    }

    @Test
    void namesLikeTheFormatsOwnGainAndLoseOneUnderscore() {
        assertEquals("__raw", ErrorsFileFormat.escape("_raw"));
        assertEquals("___error", ErrorsFileFormat.escape("__error"));
        assertEquals("raw", ErrorsFileFormat.escape("raw"));
        assertEquals("_raws", ErrorsFileFormat.escape("_raws"));
    }
}
