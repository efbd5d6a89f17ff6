package dev.batchwise.sink;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;

/**
 * A result writer over one Jackson writer, which it owns: flushing and closing this flushes and
 * closes that. Called under the sink's lock, as every {@link ResultWriter}.
 *
 * @param <T> the Jackson writer (a generator, a sequence writer)
 */
abstract class JacksonResultWriter<T extends Flushable & Closeable> implements ResultWriter {

    /** Where the results go; owned by this writer. */
    final T out;

    JacksonResultWriter(T out) {
        this.out = out;
    }

    @Override
    public final void flush() throws IOException {
        out.flush();
    }

    @Override
    public final void close() throws IOException {
        out.close();
    }
}
