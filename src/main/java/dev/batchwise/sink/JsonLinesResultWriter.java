package dev.batchwise.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;

/** JSON Lines: a result is one object on a line of its own, its fields written by {@link #writeFields}. */
abstract class JsonLinesResultWriter extends JacksonResultWriter<JsonGenerator> {

    JsonLinesResultWriter(OutputStream out) throws IOException {
        super(Values.jsonLines(out));
    }

    @Override
    public void write(Result r) throws IOException {
        out.writeStartObject();
        writeFields(r);
        out.writeEndObject();
        out.writeRaw('\n');
    }

    /** Writes the fields of {@code r}'s object, between its braces. */
    abstract void writeFields(Result r) throws IOException;
}
