package dev.batchwise.sink;

import dev.batchwise.time.Clock;
import dev.batchwise.util.Sequenced;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Restores input order: results arrive in any order, tagged with their sequence number, and are
 * written as soon as they extend the contiguous prefix written so far.
 *
 * <p>Memory is bounded by the reorder window: the producer must {@link #awaitSlot} before admitting
 * record {@code seq}, which blocks until {@code seq < written + window}. So when a slow batch holds
 * the head back, intake waits instead of results piling up.
 *
 * <p>Thread-safety: all methods may be called from any thread; results are written under the lock,
 * by whichever thread completes the head. The wait for a slot and its signals go through the clock.
 */
public final class OrderedSink<T extends Sequenced> {

    /**
     * Where the sink writes, one item at a time, in order, under the sink's lock. A
     * {@link ResultWriter} is one for results.
     */
    public interface Writer<T> {
        void write(T item) throws IOException;

        void flush() throws IOException;
    }

    /**
     * Told of every item once it is written, in order, under the sink's lock: how the sink tells the
     * code above it what reached the output (progress, failure messages, counts).
     */
    public interface Listener<T> {
        void written(T item) throws IOException;

        /** A listener that does nothing. */
        static <T> Listener<T> none() {
            return item -> {};
        }
    }

    private final Writer<? super T> writer;
    private final Listener<? super T> listener;
    private final Runnable onWriteError;
    private final int window;
    /** Slot {@code seq % window} holds item {@code seq} until it is written. Guarded by lock. */
    private final Object[] pending;
    private final long flushIntervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();

    /** The sequence number to be written next. Written under lock. */
    private volatile long next;
    /** The highest sequence number admitted; when all of them are written, output is flushed. */
    private volatile long admitted;
    private final Clock clock;
    private long lastFlushNanos;
    /** Whether lines were written since the last flush. Guarded by lock. */
    private boolean unflushed;
    private IOException writeError;
    private boolean closed;

    /**
     * @param onWriteError called once, outside the lock, when writing first fails; results completed
     *     after that are dropped
     */
    public OrderedSink(Writer<? super T> writer, Listener<? super T> listener, Runnable onWriteError, int window,
            long flushIntervalNanos) {
        this(writer, listener, onWriteError, window, flushIntervalNanos, 1, Clock.SYSTEM);
    }

    /**
     * @param firstSeq the sequence number of the first record to write: 1, or for a resumed run the
     *     one after the records already written
     * @param clock times flushes
     */
    public OrderedSink(Writer<? super T> writer, Listener<? super T> listener, Runnable onWriteError, int window,
            long flushIntervalNanos, long firstSeq, Clock clock) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        this.writer = writer;
        this.listener = listener;
        this.onWriteError = onWriteError;
        this.window = window;
        this.pending = new Object[window];
        this.flushIntervalNanos = flushIntervalNanos;
        this.next = firstSeq;
        this.admitted = firstSeq - 1;
        this.clock = clock;
        this.lastFlushNanos = clock.nanoTime();
    }

    public int window() {
        return window;
    }

    /**
     * The first sequence number that does not fit in the window now. Lock-free, for the intake to
     * call per record; it only grows, so a record below it fits.
     */
    public long slotLimit() {
        return next + window;
    }

    /** Whether record {@code seq} fits in the window now. */
    public boolean hasSlot(long seq) {
        lock.lock();
        try {
            return seq < next + window || writeError != null || closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Blocks until record {@code seq} fits in the window (or the sink failed or was closed: the caller
     * then learns so from {@link #writeError()} or stops anyway).
     */
    public void awaitSlot(long seq) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (seq >= next + window && writeError == null && !closed) {
                clock.await(lock, advanced);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records that records up to {@code seq} have been admitted (for flushing when idle). */
    public void admitted(long seq) {
        admitted = seq;
    }

    /** Hands over finished results; writes whatever they make contiguous. */
    public void complete(List<? extends T> results) {
        boolean failedNow;
        lock.lock();
        try {
            if (closed || writeError != null) {
                return;
            }
            for (T r : results) {
                long offset = r.seq() - next;
                if (offset < 0 || offset >= window || pending[slot(r.seq())] != null) {
                    throw new IllegalStateException("result #" + r.seq() + " outside the reorder window [" + next
                            + ", " + (next + window) + ") or delivered twice");
                }
                pending[slot(r.seq())] = r;
            }
            drain();
            failedNow = writeError != null;
        } finally {
            lock.unlock();
        }
        if (failedNow) {
            onWriteError.run();
        }
    }

    private void drain() {
        long before = next;
        Object head;
        while (writeError == null && (head = pending[slot(next)]) != null) {
            pending[slot(next)] = null;
            @SuppressWarnings("unchecked") // only items of T are stored
            T r = (T) head;
            try {
                writer.write(r);
                listener.written(r);
            } catch (IOException e) {
                writeError = e;
                break;
            }
            next++;
        }
        if (next != before || writeError != null) {
            clock.signalAll(advanced);
        }
        if (writeError == null && next != before) {
            unflushed = true;
            long now = clock.nanoTime();
            if (next > admitted || now - lastFlushNanos >= flushIntervalNanos) {
                flush(now);
            }
        }
    }

    /** Guarded by lock. */
    private void flush(long now) {
        try {
            writer.flush();
            lastFlushNanos = now;
            unflushed = false;
        } catch (IOException e) {
            writeError = e;
        }
    }

    /**
     * Flushes lines written more than the flush interval ago, so that they reach the reader even
     * while a slow batch holds the next record back. For a timer to call; any thread.
     */
    public void flushIfStale() {
        boolean failedNow = false;
        lock.lock();
        try {
            long now = clock.nanoTime();
            if (unflushed && !closed && writeError == null && now - lastFlushNanos >= flushIntervalNanos) {
                flush(now);
                failedNow = writeError != null;
            }
        } finally {
            lock.unlock();
        }
        if (failedNow) {
            onWriteError.run();
        }
    }

    /**
     * Flushes the lines written so far, for a process about to halt on an exit the run did not choose
     * (a plugin's {@code System.exit}): what is written reaches the file, so that it can be resumed.
     * Waits for the lock at most {@code timeoutMillis} of wall-clock time (the run's clock may no
     * longer advance); any thread.
     *
     * @return whether the lines written are flushed
     */
    public boolean flushBeforeHalt(long timeoutMillis) {
        try {
            if (!lock.tryLock(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (!closed && writeError == null) {
                flush(clock.nanoTime());
            }
            return writeError == null;
        } finally {
            lock.unlock();
        }
    }

    private int slot(long seq) {
        return (int) (seq % window);
    }

    /** The sequence number of the last record written (the contiguous prefix), or {@code firstSeq - 1}. */
    public long written() {
        lock.lock();
        try {
            return next - 1;
        } finally {
            lock.unlock();
        }
    }

    /** The first write error, or {@code null}. */
    public IOException writeError() {
        lock.lock();
        try {
            return writeError;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Flushes and stops: results completed later are dropped, and waiters are released. What was
     * not contiguous with the written prefix is dropped too.
     *
     * @return the sequence number of the last record written
     */
    public long close() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                clock.signalAll(advanced);
                if (writeError == null) {
                    try {
                        writer.flush();
                    } catch (IOException e) {
                        writeError = e;
                    }
                }
            }
            if (writeError != null) {
                throw writeError;
            }
            return next - 1;
        } finally {
            lock.unlock();
        }
    }
}
