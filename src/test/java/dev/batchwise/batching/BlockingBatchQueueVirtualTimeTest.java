package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.batchwise.testing.FakeClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The blocking queue's timed waits on the fake clock: exact deadlines, no real time. */
class BlockingBatchQueueVirtualTimeTest {

    private static final long MAX_DELAY_NANOS = 20_000_000L;

    @Test
    void aPartialBatchWaitsExactlyTheMaxDelayThenGoes() throws Exception {
        FakeClock clock = new FakeClock();
        long start = clock.nanoTime();
        BlockingBatchQueue<Integer> q = new BlockingBatchQueue<>(
                new BatchQueue<>(BatchPolicy.of(4, MAX_DELAY_NANOS), 16), clock);
        assertEquals(Admission.ACCEPTED, q.offerAll(List.of(1, 2), new long[] {start, start}, new int[] {1, 1}));
        CompletableFuture<BlockingBatchQueue.Batch<Integer>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        // the worker sleeps on the clock until the oldest item's max delay is over
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        clock.advance(MAX_DELAY_NANOS - 1);
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        assertFalse(taken.isDone(), "one tick before the max delay ends, nothing is sent");
        assertEquals(2, q.size());

        clock.advance(1);
        BlockingBatchQueue.Batch<Integer> batch = taken.get(30, TimeUnit.SECONDS);
        assertEquals(List.of(1, 2), batch.items());
        assertEquals(start + MAX_DELAY_NANOS, batch.takenNanos());
        assertFalse(batch.expired());
        assertEquals(0, q.size());
    }
}
