package dev.batchwise.bench;

import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records as they come, telling {@code onFirst} once, on the reading thread, as the first is given.
 *
 * @param onFirst what to tell; emptied once told
 */
record FirstRecord(RecordStream records, AtomicReference<Runnable> onFirst) implements RecordStream {

    FirstRecord(RecordStream records, Runnable onFirst) {
        this(records, new AtomicReference<>(onFirst));
    }

    @Override
    public boolean ready() {
        return records.ready();
    }

    @Override
    public Record next() throws InputException {
        Record r = records.next();
        Runnable first = r == null ? null : onFirst.getAndSet(null);
        if (first != null) {
            first.run();
        }
        return r;
    }

    @Override
    public long recordsRead() {
        return records.recordsRead();
    }
}
