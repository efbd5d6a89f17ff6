package dev.batchwise.sink;

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
public final class JsonlResultWriter extends JsonLinesResultWriter {

    private static final SerializedString ID = new SerializedString(OutputLayout.ID);

    private final OutputLayout layout;
    private final SerializedString[] outputNames;
    private final SerializedString[] keptNames;

    public JsonlResultWriter(OutputStream out, OutputLayout layout) throws IOException {
        super(out);
        this.layout = layout;
        this.outputNames = layout.outputs().stream().map(SerializedString::new).toArray(SerializedString[]::new);
        this.keptNames = layout.keep().stream().map(SerializedString::new).toArray(SerializedString[]::new);
    }

    @Override
    void writeFields(Result r) throws IOException {
        out.writeFieldName(ID);
        Values.write(out, r.key());
        Object[] kept = r.kept();
        for (int i = 0; i < keptNames.length; i++) {
            out.writeFieldName(keptNames[i]);
            Values.write(out, kept == null ? null : kept[i]);
        }
        if (r.failed()) {
            Values.writeError(out, OutputLayout.ERROR, r, null);
        } else {
            Object[] outputs = r.outputs();
            for (int i = 0; i < outputNames.length; i++) {
                out.writeFieldName(outputNames[i]);
                Values.write(out, outputs[i]);
            }
        }
        if (layout.withTiming()) {
            List<String> t = OutputLayout.TIMING;
            out.writeNumberField(t.get(0), Values.millis(r.queueNanos()));
            out.writeNumberField(t.get(1), Values.millis(r.computeNanos()));
            out.writeNumberField(t.get(2), Values.millis(r.latencyNanos()));
            out.writeNumberField(t.get(3), r.batchSize());
        }
    }
}
