package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.result.Result;
import dev.batchwise.testing.CapturingWriter;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Parked;
import dev.batchwise.testing.Results;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The sink's waits and endings: the slot wait that bounds memory, close, write and flush errors,
 * the listener, a resumed start, and flushing by time. Waits are shown with a parked thread, never
 * with a sleep.
 */
class OrderedSinkWaitsTest {

    private static List<Result> results(long... seqs) {
        List<Result> list = new ArrayList<>();
        for (long s : seqs) {
            list.add(Results.ok(s));
        }
        return list;
    }

    /** A thread that waits for the slot of {@code seq}; {@code done} is set once it has it. */
    private static Thread awaitSlotOn(OrderedSink<Result> sink, long seq, AtomicReference<Object> done) {
        return Parked.start("await-slot-" + seq, () -> {
            try {
                sink.awaitSlot(seq);
                done.set("slot");
            } catch (InterruptedException e) {
                done.set(e);
            }
        });
    }

    @Test
    void intakeWaitsForASlotUntilTheHeadIsWritten() throws Exception {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 2, Long.MAX_VALUE);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = awaitSlotOn(sink, 3, done);
        Parked.await(t);
        assertNull(done.get(), "record 3 does not fit while records 1 and 2 are open");

        sink.complete(results(2));
        Parked.await(t);
        assertNull(done.get(), "record 2 is done, but record 1 still holds the window's head");

        sink.complete(results(1));
        Parked.join(t);
        assertEquals("slot", done.get());
        assertEquals(5, sink.slotLimit());
    }

    @Test
    void aSlotThatIsFreeIsGrantedAtOnce() throws Exception {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 2, Long.MAX_VALUE);
        sink.awaitSlot(1);
        sink.awaitSlot(2);
        assertEquals(3, sink.slotLimit());
        assertEquals(2, sink.window());
    }

    @Test
    void closingReleasesIntakeWaitingForASlot() throws Exception {
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 1, Long.MAX_VALUE);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = awaitSlotOn(sink, 2, done);
        Parked.await(t);
        assertEquals(0, sink.close());
        Parked.join(t);
        assertEquals("slot", done.get());
        assertTrue(sink.hasSlot(1_000), "a closed sink never holds intake back");
    }

    @Test
    void aWriteErrorReleasesIntakeWaitingForASlot() throws Exception {
        CapturingWriter w = new CapturingWriter();
        AtomicInteger reported = new AtomicInteger();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, reported::incrementAndGet, 1, Long.MAX_VALUE);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = awaitSlotOn(sink, 2, done);
        Parked.await(t);
        IOException full = new IOException("disk full");
        w.failWith = full;
        sink.complete(results(1));
        Parked.join(t);
        assertEquals("slot", done.get());
        assertEquals(1, reported.get());
        assertSame(full, sink.writeError());
        assertEquals(0, sink.written(), "the failed line is not counted as written");
    }

    @Test
    void intakeIsWokenWhenTheWindowMovesOrWritingFailsAndNotOtherwise() throws Exception {
        FakeClock clock = new FakeClock();
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 2, Long.MAX_VALUE, 1, clock);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = awaitSlotOn(sink, 3, done);
        clock.awaitWaiters(1);
        long quiet = clock.changes();
        sink.complete(results(2));
        assertEquals(quiet, clock.changes(), "a record behind the head moves nothing: intake is not woken");
        sink.complete(results(1));
        Parked.join(t);
        assertEquals("slot", done.get());

        AtomicReference<Object> second = new AtomicReference<>();
        Thread u = awaitSlotOn(sink, 5, second);
        clock.awaitWaiters(1);
        w.failWith = new IOException("disk full");
        sink.complete(results(3));
        Parked.join(u); // the head's write failed: intake must learn so, though the window did not move
        assertEquals("slot", second.get());
    }

    @Test
    void anInterruptEndsTheSlotWait() throws Exception {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 1, Long.MAX_VALUE);
        AtomicReference<Object> done = new AtomicReference<>();
        Thread t = awaitSlotOn(sink, 2, done);
        Parked.await(t);
        t.interrupt();
        Parked.join(t);
        assertTrue(done.get() instanceof InterruptedException, "got " + done.get());
    }

    @Test
    void closeFlushesOnceAndDropsWhatCompletesLater() throws Exception {
        CapturingWriter w = new CapturingWriter();
        List<Long> told = new ArrayList<>();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> told.add(r.seq()), () -> {}, 8, Long.MAX_VALUE);
        sink.admitted(4);
        sink.complete(results(1, 2, 4));
        assertEquals(0, w.flushes, "records 3 and 4 are not written yet");
        assertEquals(2, sink.close(), "the contiguous prefix");
        assertEquals(1, w.flushes);
        assertEquals(List.of(1L, 2L), w.written, "record 4 was not contiguous: dropped");

        sink.complete(results(3));
        assertEquals(List.of(1L, 2L), w.written, "nothing is written after the close");
        assertEquals(List.of(1L, 2L), told);
        assertEquals(2, sink.close(), "closing again changes nothing");
        assertEquals(1, w.flushes, "and does not flush again");
        assertEquals(2, sink.written());
    }

    @Test
    void aFlushErrorAtCloseIsThrown() {
        IOException broken = new IOException("broken pipe");
        FailingFlush w = new FailingFlush(broken);
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 4, Long.MAX_VALUE);
        assertSame(broken, assertThrows(IOException.class, sink::close));
        assertSame(broken, assertThrows(IOException.class, sink::close), "and again on every close");
        assertSame(broken, sink.writeError());
        assertTrue(w.written.isEmpty());
    }

    @Test
    void aListenerThatFailsStopsTheOutputLikeAWriteError() {
        CapturingWriter w = new CapturingWriter();
        AtomicInteger reported = new AtomicInteger();
        IOException e = new IOException("errors file full");
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {
            if (r.seq() == 2) {
                throw e;
            }
        }, reported::incrementAndGet, 8, Long.MAX_VALUE);
        sink.complete(results(1, 2, 3));
        assertEquals(1, reported.get());
        assertSame(e, sink.writeError());
        assertEquals(1, sink.written(), "record 2 failed in the listener: the prefix ends before it");
        sink.complete(results(4));
        assertEquals(1, reported.get(), "reported once");
    }

    @Test
    void aResumedSinkStartsAfterTheRecordsAlreadyWritten() {
        CapturingWriter w = new CapturingWriter();
        FakeClock clock = new FakeClock();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 4, Long.MAX_VALUE, 11, clock);
        assertEquals(10, sink.written());
        assertEquals(15, sink.slotLimit());
        assertTrue(sink.hasSlot(14));
        assertFalse(sink.hasSlot(15));
        assertThrows(IllegalStateException.class, () -> sink.complete(results(10)), "record 10 was written before");
        sink.complete(results(12, 11));
        assertEquals(List.of(11L, 12L), w.written);
        assertEquals(1, w.flushes, "all admitted records (none were) are written: flushed");
    }

    @Test
    void aResultDeliveredTwiceIsABug() {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 4, Long.MAX_VALUE);
        sink.complete(results(2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.complete(results(2)));
        assertTrue(e.getMessage().contains("#2"), e.getMessage());
    }

    @Test
    void aWindowBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new OrderedSink<Result>(new CapturingWriter(), r -> {}, () -> {}, 0, 1));
        new OrderedSink<Result>(new CapturingWriter(), r -> {}, () -> {}, 1, 1);
    }

    @Test
    void writingFlushesWhenTheLastFlushIsStaleEvenWithRecordsOnTheirWay() {
        CapturingWriter w = new CapturingWriter();
        FakeClock clock = new FakeClock();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, 1_000, 1, clock);
        sink.admitted(5);
        sink.complete(results(1));
        assertEquals(0, w.flushes);
        clock.advance(999);
        sink.complete(results(2));
        assertEquals(0, w.flushes, "the last flush is 999 ns old: not stale yet");
        clock.advance(1);
        sink.complete(results(3));
        assertEquals(1, w.flushes, "1000 ns since the last flush");
        clock.advance(999);
        sink.complete(results(4));
        assertEquals(1, w.flushes, "the interval counts from the last flush");
    }

    @Test
    void aStaleFlushNeedsUnflushedLines() {
        FakeClock clock = new FakeClock();
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, 1_000, 1, clock);
        clock.advance(5_000);
        sink.flushIfStale();
        assertEquals(0, w.flushes, "nothing was written: nothing to flush");
    }

    @Test
    void aStaleFlushFlushesOnceAndNeverAfterTheClose() throws Exception {
        FakeClock clock = new FakeClock();
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, 1_000, 1, clock);
        sink.admitted(3);
        sink.complete(results(1));
        assertEquals(0, w.flushes);
        clock.advance(2_000);
        sink.flushIfStale();
        assertEquals(1, w.flushes);
        sink.flushIfStale();
        assertEquals(1, w.flushes, "nothing new since");

        sink.complete(results(2));
        assertEquals(1, w.flushes);
        sink.close();
        assertEquals(2, w.flushes, "close flushes");
        clock.advance(2_000);
        sink.flushIfStale();
        assertEquals(2, w.flushes, "a closed sink does not flush again");
    }

    @Test
    void aStaleFlushThatFailsIsReportedOnce() {
        FakeClock clock = new FakeClock();
        IOException broken = new IOException("broken pipe");
        FailingFlush w = new FailingFlush(broken);
        AtomicInteger reported = new AtomicInteger();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, reported::incrementAndGet, 8, 1_000, 1, clock);
        sink.admitted(2);
        sink.complete(results(1));
        assertEquals(0, reported.get());
        clock.advance(1_000);
        sink.flushIfStale();
        assertEquals(1, reported.get());
        assertSame(broken, sink.writeError());
        clock.advance(1_000);
        sink.flushIfStale();
        assertEquals(1, reported.get(), "a failed sink does not flush or report again");
    }

    @Test
    void aFlushErrorWhenEverythingIsWrittenIsReported() {
        IOException broken = new IOException("broken pipe");
        AtomicInteger reported = new AtomicInteger();
        OrderedSink<Result> sink = new OrderedSink<>(new FailingFlush(broken), r -> {}, reported::incrementAndGet, 8,
                Long.MAX_VALUE);
        sink.complete(results(1));
        assertEquals(1, reported.get());
        assertSame(broken, sink.writeError());
    }

    /** Writes, and fails every flush. */
    private static final class FailingFlush implements ResultWriter {
        private final IOException error;
        final List<Long> written = new ArrayList<>();

        FailingFlush(IOException error) {
            this.error = error;
        }

        @Override
        public void write(Result result) {
            written.add(result.seq());
        }

        @Override
        public void flush() throws IOException {
            throw error;
        }

        @Override
        public void close() {}
    }
}
