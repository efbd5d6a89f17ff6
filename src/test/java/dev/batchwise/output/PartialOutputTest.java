package dev.batchwise.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.sink.OutputFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading back an unfinished output for a resumed run: its failed records, however its lines look. */
class PartialOutputTest {

    @TempDir
    Path dir;

    @Test
    void failedJsonLinesAreThoseWithAnErrorObjectWhereverTheLayoutPutsIt() throws Exception {
        Path out = Files.writeString(dir.resolve("out.jsonl"), String.join("\n",
                "{\"id\":1,\"embedding\":[0.1,0.2],\"meta\":{\"error\":\"not a failure\"}}",
                "{\"id\":\"x\",\"error\":{\"code\":\"bad_input\",\"message\":\"m\",\"source\":\"s\",\"line\":2}}",
                "{\"id\":{\"nested\":[1,{\"error\":1}]},\"error\":{\"code\":\"timeout\"}}",
                "{\"id\":4,\"text\":\"error\",\"error\":null}",
                "{\"id\":5,\"n\":1e400}",
                "{\"id\":6,\"text\":\"kept\",\"error\":{\"code\":\"function_error\"}}",
                "{\"id\":7,\"a\":1,\"b\":[\"error\"],\"error\":{\"code\":\"timeout\"},\"queue_ms\":1.0}") + "\n");
        assertEquals(4, PartialOutput.failedRecords(out, OutputFormat.JSONL));
    }

    @Test
    void failedCsvRowsAreThoseWithAnErrorCellQuotedNewlinesAndAll() throws Exception {
        Path out = Files.writeString(dir.resolve("out.csv"), "id,text,error\n"
                + "1,\"two\nlines\",\n"
                + "2,\"error, in text\",\"{\"\"code\"\":\"\"bad_input\"\"}\"\n"
                + "3,fine,\n"
                + "4,,\"{\"\"code\"\":\"\"timeout\"\"}\"\n");
        assertEquals(2, PartialOutput.failedRecords(out, OutputFormat.CSV));
        Path other = Files.writeString(dir.resolve("other.csv"), "error,id\n\"{}\",1\n,2\n");
        assertEquals(1, PartialOutput.failedRecords(other, OutputFormat.CSV));
    }

    @Test
    void anEmptyOutputHasNone() throws Exception {
        for (OutputFormat f : new OutputFormat[] {OutputFormat.JSONL, OutputFormat.CSV}) {
            assertEquals(0, PartialOutput.failedRecords(Files.writeString(dir.resolve("e"), ""), f));
        }
    }
}
