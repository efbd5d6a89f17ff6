package dev.batchwise.run;

import dev.batchwise.sink.OrderedSink;
import dev.batchwise.result.Result;

/**
 * Shows the first failed records on standard error as they are written, one line each, in the
 * compilers' form {@code batchwise: FILE:LINE: message}; after {@link #SHOWN} of them, one line saying
 * more are in the output. Called under the sink's lock, in output order.
 */
final class FailureLines implements OrderedSink.Listener<Result> {

    static final int SHOWN = 10;

    private final Console console;
    /** Guarded by the sink's lock. */
    private long failures;

    FailureLines(Console console) {
        this.console = console;
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
        if (failures <= SHOWN) {
            console.failure(r.origin() + ":", console.text(r.failure().phrase()));
        } else {
            console.failure(null, "more records failed; each has an \"error\" in the output");
        }
    }
}
