package dev.batchwise.run;

import dev.batchwise.result.Result;
import dev.batchwise.sink.ResultWriter;
import java.io.IOException;

/**
 * Writes every result to the output, and a failed one to the failures writer just before: so the
 * errors file never lags behind the output by a record that the output already holds (given that the
 * output's bytes reach the file system only after the failures writer is flushed; the command's
 * output file sees to that). Flushes the failures first. Closes neither.
 */
final class FailuresFirstWriter implements ResultWriter {

    private final ResultWriter output;
    private final ResultWriter failures;

    FailuresFirstWriter(ResultWriter output, ResultWriter failures) {
        this.output = output;
        this.failures = failures;
    }

    @Override
    public void write(Result r) throws IOException {
        if (r.failed()) {
            failures.write(r);
        }
        output.write(r);
    }

    @Override
    public void flush() throws IOException {
        failures.flush();
        output.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
