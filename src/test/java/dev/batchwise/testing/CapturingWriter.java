package dev.batchwise.testing;

import dev.batchwise.result.Result;
import dev.batchwise.sink.ResultWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A result writer that captures the written sequence numbers and counts flushes; can be told to fail. */
public final class CapturingWriter implements ResultWriter {
    public final List<Long> written = new ArrayList<>();
    public int flushes;
    /** Thrown by every write from now on, when set. */
    public IOException failWith;

    @Override
    public void write(Result result) throws IOException {
        if (failWith != null) {
            throw failWith;
        }
        written.add(result.seq());
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void close() {}
}
