package dev.batchwise.output;

import dev.batchwise.result.Result;
import dev.batchwise.sink.ResultWriter;
import dev.batchwise.util.Phrase;
import java.io.IOException;

/**
 * Writes every result to the output, a failed one with its message naming settings as the front end
 * names them, and, when there is an errors file, to it just before: so the errors file never lags
 * behind the output by a record that the output already holds (given that the output's bytes reach
 * the file system only after the failures writer is flushed; the command's output file sees to that).
 * Flushes the failures first. Closes neither.
 */
final class OutputLineWriter implements ResultWriter {

    private final ResultWriter output;
    /** The errors file, or {@code null}. */
    private final ResultWriter failures;
    private final Phrase.Names names;

    OutputLineWriter(ResultWriter output, ResultWriter failures, Phrase.Names names) {
        this.output = output;
        this.failures = failures;
        this.names = names;
    }

    @Override
    public void write(Result r) throws IOException {
        if (r.failed()) {
            Result named = r.withFailure(r.failure().named(names));
            if (failures != null) {
                failures.write(named);
            }
            output.write(named);
        } else {
            output.write(r);
        }
    }

    @Override
    public void flush() throws IOException {
        if (failures != null) {
            failures.flush();
        }
        output.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
