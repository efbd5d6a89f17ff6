package dev.batchwise.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One JSON object per line: {@code {"id": ..., "<kept column>": ..., "<output>": ..., ...}}, or for a failed record
 * {@code {"id": ..., "<kept column>": ..., "error": {"code": ..., "message": ..., "source": ..., "line": ...}}}, in the
 * spirit of the OpenAI batch output format.
 */
public final class JsonlResultWriter implements ResultWriter {

    private static final SerializedString ID = new SerializedString(OutputLayout.ID);

    private final JsonGenerator json;
    private final OutputLayout layout;
    private final SerializedString[] outputNames;
    private final SerializedString[] keptNames;

    public JsonlResultWriter(OutputStream out, OutputLayout layout) throws IOException {
        this.json = Values.jsonLines(out);
        this.layout = layout;
        this.outputNames = layout.outputs().stream().map(SerializedString::new).toArray(SerializedString[]::new);
        this.keptNames = layout.keep().stream().map(SerializedString::new).toArray(SerializedString[]::new);
    }

    @Override
    public void write(Result r) throws IOException {
        json.writeStartObject();
        json.writeFieldName(ID);
        Values.write(json, r.key());
        Object[] kept = r.kept();
        for (int i = 0; i < keptNames.length; i++) {
            json.writeFieldName(keptNames[i]);
            Values.write(json, kept == null ? null : kept[i]);
        }
        if (r.failed()) {
            Values.writeError(json, OutputLayout.ERROR, r, null);
        } else {
            Object[] outputs = r.outputs();
            for (int i = 0; i < outputNames.length; i++) {
                json.writeFieldName(outputNames[i]);
                Values.write(json, outputs[i]);
            }
        }
        if (layout.withTiming()) {
            List<String> t = OutputLayout.TIMING;
            json.writeNumberField(t.get(0), Values.millis(r.queueNanos()));
            json.writeNumberField(t.get(1), Values.millis(r.computeNanos()));
            json.writeNumberField(t.get(2), Values.millis(r.latencyNanos()));
            json.writeNumberField(t.get(3), r.batchSize());
        }
        json.writeEndObject();
        json.writeRaw('\n');
    }

    @Override
    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void close() throws IOException {
        json.close();
    }
}
