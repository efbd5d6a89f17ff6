package dev.batchwise.cli;

import dev.batchwise.util.Text;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.pipeline.Result;
import java.io.PrintWriter;

/**
 * Shows the first failed records on standard error as they are written, one line each, in the
 * compilers' form {@code batchwise: FILE:LINE: message}; after {@link #SHOWN} of them, one line saying
 * more are in the output. Called under the sink's lock, in output order.
 */
final class FailureLines implements Pipeline.Observer {

    static final int SHOWN = 10;
    private static final String ERASE = "\r\033[K";

    private final PrintWriter err;
    private final Style style;
    /** Guarded by the sink's lock. */
    private long failures;

    /** @param style whether standard error shows a progress line, to be erased before a message, and colour */
    FailureLines(PrintWriter err, Style style) {
        this.err = err;
        this.style = style;
    }

    @Override
    public void written(Result r) {
        if (!r.failed()) {
            return;
        }
        failures++;
        if (failures > SHOWN + 1) {
            return;
        }
        synchronized (err) {
            if (style.interactive()) {
                err.print(ERASE);
            }
            if (failures <= SHOWN) {
                err.println("batchwise: " + style.error(Text.printable(r.origin() + ":")) + " "
                        + Text.printable(r.failure().message()));
            } else {
                err.println("batchwise: more records failed; each has an \"error\" in the output");
            }
            err.flush();
        }
    }
}
