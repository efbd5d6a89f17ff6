package dev.batchwise.bench;

import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;

/** Records as they come, telling {@code onFirst} once, on the reading thread, as the first is given. */
final class FirstRecord implements RecordStream {

    private final RecordStream records;
    private Runnable onFirst;

    FirstRecord(RecordStream records, Runnable onFirst) {
        this.records = records;
        this.onFirst = onFirst;
    }

    @Override
    public Record next() throws InputException {
        Record r = records.next();
        if (r != null && onFirst != null) {
            onFirst.run();
            onFirst = null;
        }
        return r;
    }

    @Override
    public boolean ready() {
        return records.ready();
    }

    @Override
    public long recordsRead() {
        return records.recordsRead();
    }
}
