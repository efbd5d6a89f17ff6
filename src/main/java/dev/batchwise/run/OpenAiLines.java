package dev.batchwise.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.openai.AnswerLines;
import dev.batchwise.openai.BatchRequest;
import dev.batchwise.openai.InvalidRequestException;
import dev.batchwise.openai.LineIds;
import dev.batchwise.openai.RequestParser;
import dev.batchwise.output.RunOutput;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.result.Result;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.source.BatchLine;
import dev.batchwise.source.Record;
import dev.batchwise.util.Phrase;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a batch file's answers, one line per request in input order: an answered line as its
 * function made it, a failed one as OpenAI's error file has it (to the output, and to the errors file
 * just before). A failed line's error is the refusal noted on it at intake; else, for a line that is
 * not JSON, the parser's; else the run's failure ({@link AnswerLines#errorOf}). Used under the sink's
 * lock.
 */
final class OpenAiLines implements ResultWriter {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
            .build();

    private final AnswerLines answers;
    private final OutputStream output;
    private final OutputStream errors;
    private final Phrase.Names names;

    private OpenAiLines(AnswerLines answers, OutputStream output, OutputStream errors, Phrase.Names names) {
        this.answers = answers;
        this.output = output;
        this.errors = errors;
        this.names = names;
    }

    /** How the run's output writes the answers of {@code batch}, once it has {@link OpenAiBatch#start started}. */
    static RunOutput.Lines of(OpenAiBatch batch) {
        return (output, errors, names) -> new OpenAiLines(batch.answers(), output, errors, names);
    }

    /**
     * A resume point that compares the answer id of a record with the {@code id} on the last line
     * written (answer lines are keyed by their ids, not by the records' keys).
     */
    static ResumePoint resume(ResumePoint done, LineIds ids) {
        if (done.recordsDone() == 0) {
            return done;
        }
        return new ResumePoint(done.recordsDone(), done.output(),
                (seq, key) -> done.lastKey().mismatch(seq, ids.batchRequestId(seq)), done.failedDone());
    }

    @Override
    public void write(Result r) throws IOException {
        if (!r.failed()) {
            line(output, (JsonNode) r.outputs()[0]);
            return;
        }
        JsonNode line = errorLine(r);
        if (errors != null) {
            line(errors, line);
        }
        line(output, line);
    }

    private JsonNode errorLine(Result r) {
        Record in = r.input();
        BatchLine line = in == null || in.isBad() ? null : BatchLine.of(in.fields().get(BatchLine.FIELD));
        if (line != null && line.note() instanceof OpenAiBatch.Refusal refusal) {
            return answers.error(r.seq(), refusal.customId(), refusal.error());
        }
        if (in != null && in.isBad() && in.raw() != null) {
            try {
                RequestParser.parse(in.raw());
            } catch (InvalidRequestException e) {
                return answers.error(r.seq(), e.customId(), e.error());
            }
        }
        String customId = null;
        if (line != null) {
            try {
                BatchRequest request = RequestParser.parse(line.line());
                customId = request.customId();
            } catch (InvalidRequestException e) {
                customId = e.customId();
            }
        }
        return answers.error(r.seq(), customId, AnswerLines.errorOf(r.failure().named(names)));
    }

    private static void line(OutputStream out, JsonNode line) throws IOException {
        JSON.writeValue(out, line);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        if (errors != null) {
            errors.flush();
        }
        output.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
