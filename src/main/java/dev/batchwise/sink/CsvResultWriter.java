package dev.batchwise.sink;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * CSV with a header row: {@code id}, the kept input columns ({@code --keep}; empty where a record lacks one), the outputs, {@code error} (the message, with its origin, for a
 * failed record; empty otherwise), and the timing columns with {@code --with-timing}. Values that are
 * not scalars (an embedding, say) are written as their JSON text.
 */
public final class CsvResultWriter extends JacksonResultWriter<SequenceWriter> {

    private final OutputLayout layout;
    private final int width;

    /** @param header whether to write the header row first */
    public CsvResultWriter(OutputStream out, OutputLayout layout, boolean header) throws IOException {
        super(rows(out, layout, header));
        this.width = layout.columns().size();
        this.layout = layout;
    }

    private static SequenceWriter rows(OutputStream out, OutputLayout layout, boolean header) throws IOException {
        CsvMapper mapper = new CsvMapper();
        mapper.getFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        CsvSchema.Builder schema = CsvSchema.builder();
        for (String c : layout.columns()) {
            schema.addColumn(c);
        }
        CsvSchema built = schema.build();
        return mapper.writer(header ? built.withHeader() : built.withoutHeader()).writeValues(out);
    }

    @Override
    public void write(Result r) throws IOException {
        List<String> row = new ArrayList<>(width);
        // the id and the message come from the input: a lone surrogate there becomes U+FFFD, since
        // UTF-8 cannot encode it (outputs were checked by OutputFormat.prepare)
        row.add(Values.withoutLoneSurrogates(Values.cell(r.key())));
        Object[] kept = r.kept();
        for (int i = 0; i < layout.keep().size(); i++) {
            // input values, as the id: a lone surrogate becomes U+FFFD
            row.add(kept == null ? "" : Values.withoutLoneSurrogates(Values.cell(kept[i])));
        }
        Object[] outputs = r.outputs();
        for (int i = 0; i < layout.outputs().size(); i++) {
            row.add(outputs == null ? "" : Values.cell(outputs[i]));
        }
        row.add(r.failed() ? Values.withoutLoneSurrogates(r.failure().code().label() + " at " + r.origin() + ": "
                + r.failure().message()) : "");
        if (layout.withTiming()) {
            row.add(Values.millis(r.queueNanos()).toPlainString());
            row.add(Values.millis(r.computeNanos()).toPlainString());
            row.add(Values.millis(r.latencyNanos()).toPlainString());
            row.add(Integer.toString(r.batchSize()));
        }
        out.write(row);
    }
}
