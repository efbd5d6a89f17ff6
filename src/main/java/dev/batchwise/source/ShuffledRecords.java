package dev.batchwise.source;

import java.util.SplittableRandom;

/**
 * The records of a stream in a seeded random order, drawn from a window of the next {@code window}
 * records read: each record given is one picked at random from the window, and the next record read
 * takes its place. A stream no longer than the window comes out fully shuffled; a longer one is mixed
 * within the window, with memory bounded by it. Records are numbered again from 1 in the order given,
 * keeping their origin (file and line).
 *
 * <p>For {@code batchwise bench}, which cycles its inputs: a file whose records change along it (short
 * texts first, long ones later, as in the STS Benchmark) would otherwise give a point's windows a load
 * that drifts with the position in the file, and no point would ever be stable.
 *
 * <p>Not thread-safe: one thread reads, as for the stream it wraps.
 */
public final class ShuffledRecords implements RecordStream {

    private final RecordStream records;
    private final Record[] window;
    private final SplittableRandom random;
    private int held;
    private boolean ended;
    private long given;

    /** @param window how many records to draw from, at least 1 */
    public ShuffledRecords(RecordStream records, int window, long seed) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, not " + window);
        }
        this.records = records;
        this.window = new Record[window];
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Record next() throws InputException {
        while (!ended && held < window.length) {
            Record r = records.next();
            if (r == null) {
                ended = true;
            } else {
                window[held++] = r;
            }
        }
        if (held == 0) {
            return null;
        }
        int pick = random.nextInt(held);
        Record r = window[pick];
        Record next = ended ? null : records.next();
        if (next == null) {
            ended = true;
            window[pick] = window[--held];
            window[held] = null;
        } else {
            window[pick] = next;
        }
        return r.withSeq(++given);
    }

    /** Whether {@link #next()} can return without waiting: the end is read, or the stream is ready. */
    @Override
    public boolean ready() {
        return ended || records.ready();
    }

    /** The records given so far. */
    @Override
    public long recordsRead() {
        return given;
    }
}
