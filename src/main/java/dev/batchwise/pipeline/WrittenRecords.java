package dev.batchwise.pipeline;

import dev.batchwise.result.Result;
import dev.batchwise.sink.OrderedSink;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reached a run's output: the records written and failed so far, when the first was written,
 * and the first that failed; told of each record under the sink's lock, in order, and passing it on
 * to the run's observer. The counts are read from any thread.
 */
final class WrittenRecords implements OrderedSink.Listener<Result> {

    private final OrderedSink.Listener<? super Result> observer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Wall-clock instant of the first record written; written once, under the sink's lock. */
    private volatile Instant firstWritten;
    /** The first failed record written, in input order; written under the sink's lock. */
    private volatile Result firstFailure;

    WrittenRecords(OrderedSink.Listener<? super Result> observer) {
        this.observer = observer;
    }

    @Override
    public void written(Result r) throws IOException {
        if (written.incrementAndGet() == 1) {
            firstWritten = Instant.now();
        }
        if (r.failed()) {
            failed.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = r;
            }
        }
        observer.written(r);
    }

    long written() {
        return written.get();
    }

    long failed() {
        return failed.get();
    }

    Instant firstWritten() {
        return firstWritten;
    }

    Result firstFailure() {
        return firstFailure;
    }
}
