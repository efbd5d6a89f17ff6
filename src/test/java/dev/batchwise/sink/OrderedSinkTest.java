package dev.batchwise.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.result.Result;
import dev.batchwise.testing.CapturingWriter;
import dev.batchwise.testing.Results;
import dev.batchwise.testing.FakeClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedSinkTest {

    private static List<Result> results(long... seqs) {
        List<Result> list = new ArrayList<>();
        for (long s : seqs) {
            list.add(Results.ok(s));
        }
        return list;
    }

    @Test
    void writesOnlyTheContiguousPrefix() {
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, Long.MAX_VALUE);
        sink.complete(results(3, 4));
        assertEquals(List.of(), w.written);
        sink.complete(results(2));
        assertEquals(List.of(), w.written);
        sink.complete(results(1));
        assertEquals(List.of(1L, 2L, 3L, 4L), w.written);
        assertEquals(4, sink.written());
    }

    @Test
    void theWindowBoundsWhatMayBeAdmitted() {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 4, Long.MAX_VALUE);
        assertTrue(sink.hasSlot(4));
        assertFalse(sink.hasSlot(5));
        sink.complete(results(2, 3, 4));
        assertFalse(sink.hasSlot(5), "the head still holds the window");
        sink.complete(results(1));
        assertTrue(sink.hasSlot(8));
        assertFalse(sink.hasSlot(9));
    }

    @Test
    void aResultOutsideTheWindowIsABug() {
        OrderedSink<Result> sink = new OrderedSink<>(new CapturingWriter(), r -> {}, () -> {}, 4, Long.MAX_VALUE);
        assertThrows(IllegalStateException.class, () -> sink.complete(results(5)));
    }

    @Test
    void flushesWhenEverythingAdmittedIsWritten() {
        CapturingWriter w = new CapturingWriter();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, Long.MAX_VALUE);
        sink.admitted(3);
        sink.complete(results(1, 2));
        assertEquals(0, w.flushes, "record 3 is still on its way");
        sink.complete(results(3));
        assertEquals(1, w.flushes);
    }

    @Test
    void linesHeldBackByASlowHeadAreFlushedOnceTheyAreStale() {
        CapturingWriter w = new CapturingWriter();
        FakeClock clock = new FakeClock();
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> {}, 8, 1_000, 1, clock);
        sink.admitted(3);
        sink.complete(results(1));
        assertEquals(0, w.flushes, "records 2 and 3 are still on their way");
        clock.advance(999);
        sink.flushIfStale();
        assertEquals(0, w.flushes, "not stale yet");
        clock.advance(1);
        sink.flushIfStale();
        assertEquals(1, w.flushes);
        sink.flushIfStale();
        assertEquals(1, w.flushes, "nothing new to flush");
    }

    @Test
    void aWriteErrorIsReportedOnceAndLaterResultsAreDropped() throws Exception {
        CapturingWriter w = new CapturingWriter();
        int[] reported = {0};
        OrderedSink<Result> sink = new OrderedSink<>(w, r -> {}, () -> reported[0]++, 8, Long.MAX_VALUE);
        w.failWith = new IOException("disk full");
        sink.complete(results(1));
        sink.complete(results(2));
        assertEquals(1, reported[0]);
        assertTrue(sink.hasSlot(100), "intake must not wait on a failed sink");
        assertEquals("disk full", assertThrows(IOException.class, sink::close).getMessage());
    }
}
