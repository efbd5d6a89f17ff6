package dev.batchwise.sink;

import dev.batchwise.result.Result;
import dev.batchwise.source.ErrorsFileFormat;
import dev.batchwise.source.Fields;
import dev.batchwise.source.Record;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The errors file ({@code --errors FILE}): JSON Lines, one object per failed record, holding the
 * record as it was read, so that the file is itself an input that runs those records again with the
 * same options, and the error under {@code _error} ({@link ErrorsFileFormat}):
 *
 * <pre>
 * {"words": "world", "lens": "three", "_error": {"code": "bad_input", "message": "...", "source": "w.csv", "line": 3, "seq": 2}}
 * {"_raw": "7,\"never closed", "_error": {"code": "bad_input", "message": "unbalanced quote: ...", ...}}
 * </pre>
 *
 * A record with fields is written as an object of them, by name, in input order: CSV and TSV values
 * as strings (which the parameter types convert as they convert CSV cells), JSON values as they
 * were, text as {@code {"text": ...}}; a field named like the format's own ({@code _raw},
 * {@code _error}) gets one more underscore. A record that could not be parsed has no fields: its text
 * as read is under {@code _raw} when the reader kept it (not for a line over the size limit or one
 * that is not UTF-8). {@code _error.seq} is the record's sequence number in the run that first failed
 * it: a record read back from an errors file keeps it ({@link Record#originalSeq}). Successful results
 * are ignored.
 */
public final class FailedRecordWriter extends JsonLinesResultWriter {

    public static final String ERROR = ErrorsFileFormat.ERROR;

    public FailedRecordWriter(OutputStream out) throws IOException {
        super(out);
    }

    /** Writes a failed record; a successful one is not written. */
    @Override
    public void write(Result r) throws IOException {
        if (r.failed()) {
            super.write(r);
        }
    }

    @Override
    void writeFields(Result r) throws IOException {
        Record input = r.input();
        Fields fields = input == null ? null : input.fields();
        if (fields != null) {
            for (String name : fields.names()) {
                Object v = fields.get(name);
                if (v != null) {
                    out.writeFieldName(ErrorsFileFormat.escape(name));
                    Values.write(out, v);
                }
            }
        } else if (input != null && input.raw() != null) {
            out.writeStringField(ErrorsFileFormat.RAW, input.raw());
        }
        Long original = input == null ? null : input.originalSeq();
        // a salvaged id column's text (a row that could not be parsed has no fields to find it in again)
        String salvagedId = fields == null && r.key() instanceof String text ? text : null;
        Values.writeError(out, ErrorsFileFormat.ERROR, r, original != null ? original : r.seq(), salvagedId);
    }
}
