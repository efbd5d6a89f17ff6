package dev.batchwise.sink;

import dev.batchwise.pipeline.Result;
import java.io.Closeable;
import java.io.IOException;

/** Writes results, one per line, in the order given. Called under the sink's lock: one thread at a time. */
public interface ResultWriter extends Closeable {

    void write(Result result) throws IOException;

    void flush() throws IOException;
}
