package dev.batchwise.sink;

import dev.batchwise.result.Result;
import java.io.Closeable;
import java.io.IOException;

/** Writes results, one per line, in the order given. Called under the sink's lock: one thread at a time. */
public interface ResultWriter extends OrderedSink.Writer<Result>, Closeable {

    @Override
    void write(Result result) throws IOException;

    @Override
    void flush() throws IOException;
}
