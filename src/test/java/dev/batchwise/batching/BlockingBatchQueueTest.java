package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.batchwise.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The blocking shell with real threads; asserts outcomes only, never timing. */
class BlockingBatchQueueTest {

    private static BlockingBatchQueue<Integer> queue(int maxBatch, int capacity) {
        return new BlockingBatchQueue<>(new BatchQueue<>(BatchPolicy.of(maxBatch, 0), capacity), Clock.SYSTEM);
    }

    private static Admission offer(BlockingBatchQueue<Integer> q, Integer... items) {
        long[] arrivals = new long[items.length];
        int[] weights = new int[items.length];
        java.util.Arrays.fill(weights, 1);
        return q.offerAll(List.of(items), arrivals, weights);
    }

    private static <T> T within30s(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWaitingWorkerGetsItemsOfferedTogetherAsOneBatch() throws Exception {
        BlockingBatchQueue<Integer> q = queue(16, 64);
        CompletableFuture<List<Integer>> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take().items();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Integer[] sixteen = new Integer[16];
        for (int i = 0; i < 16; i++) {
            sixteen[i] = i;
        }
        assertEquals(Admission.ACCEPTED, offer(q, sixteen));
        assertEquals(List.of(sixteen), within30s(taken));
    }

    @Test
    void closingReleasesWaitingWorkersAfterThePendingItems() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 8);
        offer(q, 1, 2, 3);
        q.close();
        assertEquals(List.of(1, 2), q.take().items());
        assertEquals(List.of(3), q.take().items());
        assertNull(q.take());
        assertEquals(Admission.CLOSED, offer(q, 4));
    }

    @Test
    void aWorkerBlockedOnAnEmptyQueueSeesTheClose() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 8);
        CompletableFuture<Object> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return q.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        q.close();
        assertNull(within30s(taken));
    }

    @Test
    void offersThatDoNotFitAreRefusedWhole() {
        BlockingBatchQueue<Integer> q = queue(2, 3);
        assertEquals(Admission.ACCEPTED, offer(q, 1, 2));
        assertEquals(Admission.FULL, offer(q, 3, 4));
        assertEquals(Admission.ACCEPTED, offer(q, 3));
    }

    @Test
    void awaitRoomReturnsOnceAWorkerTakesABatch() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 2);
        offer(q, 1, 2);
        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(() -> {
            try {
                return q.awaitRoom();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(List.of(1, 2), q.take().items());
        assertEquals(2, within30s(room));
    }

    @Test
    void closeAndDrainHandsBackWhatWasPending() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 8);
        offer(q, 1, 2, 3);
        assertEquals(List.of(1, 2, 3), q.closeAndDrain());
        assertNull(q.take());
        assertEquals(0, q.awaitRoom());
    }
}
