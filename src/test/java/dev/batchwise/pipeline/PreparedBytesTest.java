package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Records whose prepared form is large (an image model's pictures) are held by bytes, not by the
 * default queue's 1024 records and the intake's chunks of 256: with the worker held in its first
 * call, the intake stops preparing once 64 MiB wait in the queue and 8 MiB in its chunk.
 */
class PreparedBytesTest {

    private static final long MIB = 1L << 20;

    /** The held scripted function, each record prepared into {@code bytes} (counted, not allocated). */
    private static final class Large implements BatchFunctionFactory, RecordPreparer {
        final ScriptedFunction f = ScriptedFunction.held();
        final AtomicInteger prepared = new AtomicInteger();
        final long bytes;

        Large(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public String name() {
            return f.name();
        }

        @Override
        public Signature signature() {
            return f.signature();
        }

        @Override
        public BatchFunction create() throws Exception {
            return f.create();
        }

        @Override
        public int prepare(Object[] args) {
            prepared.incrementAndGet();
            return 1;
        }

        @Override
        public long preparedBytes() {
            return bytes;
        }
    }

    @Test
    void theQueueHoldsAtMost64MiBOfPreparedRecordsAndAlwaysOneBatch() {
        PipelineConfig pictures = Runs.config(new Large(602_112), new ArrivalSpec.Burst(), Runs.batches(16), 2);
        assertEquals(111, pictures.queueCapacity(), "64 MiB of 224 x 224 x 3 floats");
        PipelineConfig huge = Runs.config(new Large(100 * MIB), new ArrivalSpec.Burst(), Runs.batches(16), 2);
        assertEquals(16, huge.queueCapacity(), "room for one batch whatever the size");
        PipelineConfig small = Runs.config(new Large(0), new ArrivalSpec.Burst(), Runs.batches(16), 2);
        assertEquals(1024, small.queueCapacity(), "records too small to count: the capacity given");
    }

    @Test
    void theIntakeStopsPreparingOnceTheBytesAreHeld() throws Exception {
        FakeClock clock = new FakeClock();
        Large large = new Large(MIB);
        PipelineConfig config = Runs.config(large, new ArrivalSpec.Burst(), Runs.batches(1), 1);
        Pipeline pipeline = new Pipeline(config, clock, dev.batchwise.sink.OrderedSink.Listener.none());
        CompletableFuture<Runs.Finished> run = PipelineTest.async(() -> Runs.run(pipeline, Runs.lines(2000)));
        ScriptedFunction.HeldCall first = large.f.nextHeld();
        clock.awaitWaiters(2); // the run's flusher, and the intake waiting for room in the queue
        // 64 in the queue, 8 in the intake's chunk, 1 in the worker's call
        int held = large.prepared.get();
        assertTrue(held <= 64 + 8 + 1, () -> held + " records prepared while one call is held");
        first.release();
        for (int i = 1; i < 2000; i++) {
            large.f.nextHeld().release();
        }
        assertEquals(2000, run.get(60, TimeUnit.SECONDS).output().size());
    }
}
