package dev.batchwise.source;

/** Records in input order, numbered from 1, read by one thread. */
public interface RecordStream {

    /** The next record, or {@code null} at the end. */
    Record next() throws InputException;

    /** Whether {@link #next()} can return without waiting on an input (see {@link RecordSource#ready()}). */
    boolean ready();

    /** How many records have been read so far. */
    long recordsRead();
}
