package dev.batchwise.source;

/**
 * The first {@code limit} records of a stream ({@code --limit}), counted over all inputs in order;
 * then the end, without reading further. Not thread-safe: one thread reads, as for the stream it wraps.
 */
public final class LimitedRecords implements RecordStream {

    private final RecordStream records;
    private final long limit;
    private long read;

    /** @param limit the most records to give, at least 1 */
    public LimitedRecords(RecordStream records, long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        this.records = records;
        this.limit = limit;
    }

    /** {@code records} itself when {@code limit} is 0 (no limit), else the first {@code limit} of them. */
    public static RecordStream of(RecordStream records, long limit) {
        return limit == 0 ? records : new LimitedRecords(records, limit);
    }

    @Override
    public Record next() throws InputException {
        if (read >= limit) {
            return null;
        }
        Record r = records.next();
        if (r != null) {
            read++;
        }
        return r;
    }

    /** At the limit the end is at hand: {@link #next()} returns without reading. */
    @Override
    public boolean ready() {
        return read >= limit || records.ready();
    }

    @Override
    public long recordsRead() {
        return Math.min(records.recordsRead(), limit);
    }
}
