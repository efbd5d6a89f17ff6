package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Parked;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The blocking queue's close paths, room waits, expiry and wake-ups, on the fake clock. A wait is
 * shown with a parked thread or a sleeper on the clock, never with a sleep.
 */
class BlockingBatchQueueEndingsTest {

    private static final long MAX_DELAY_NANOS = 10_000_000L;
    private static final long TIMEOUT_NANOS = 50_000_000L;

    private final FakeClock clock = new FakeClock();

    private BlockingBatchQueue<Integer> queue(int maxBatch, long maxDelayNanos, int capacity) {
        return new BlockingBatchQueue<>(new BatchQueue<>(BatchPolicy.of(maxBatch, maxDelayNanos), capacity), clock);
    }

    private Admission offer(BlockingBatchQueue<Integer> q, Integer... items) {
        long[] arrivals = new long[items.length];
        java.util.Arrays.fill(arrivals, clock.nanoTime());
        int[] weights = new int[items.length];
        java.util.Arrays.fill(weights, 1);
        return q.offerAll(List.of(items), arrivals, weights);
    }

    /** A worker that takes one batch; {@code taken} holds it, or "none" for the end of the queue. */
    private static Thread worker(BlockingBatchQueue<Integer> q, AtomicReference<Object> taken) {
        return Parked.start("worker", () -> {
            try {
                BlockingBatchQueue.Batch<Integer> b = q.take();
                taken.set(b == null ? "none" : b);
            } catch (InterruptedException e) {
                taken.set(e);
            }
        });
    }

    /** A producer that waits for room; {@code room} holds how many fit, once it has it. */
    private static Thread awaitRoomOn(BlockingBatchQueue<Integer> q, AtomicReference<Object> room) {
        return Parked.start("producer", () -> {
            try {
                room.set(q.awaitRoom());
            } catch (InterruptedException e) {
                room.set(e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> items(AtomicReference<Object> taken) {
        return ((BlockingBatchQueue.Batch<Integer>) taken.get()).items();
    }

    @Test
    void aWorkerWaitingForAPartialBatchToFillTakesItOnceFullBeforeTheDeadline() throws Exception {
        BlockingBatchQueue<Integer> q = queue(3, MAX_DELAY_NANOS, 8);
        long start = clock.nanoTime();
        offer(q, 1);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        offer(q, 2, 3);
        Parked.join(t);
        assertEquals(List.of(1, 2, 3), items(taken), "full: sent without waiting out the max delay");
        assertEquals(start, ((BlockingBatchQueue.Batch<?>) taken.get()).takenNanos());
    }

    @Test
    void aWorkerOnAnEmptyQueueWaitsForAnArrivalNotForTheClock() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 8);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        Parked.await(t);
        assertEquals(0, clock.sleepers(), "nothing pending: no deadline to sleep until");
        assertNull(taken.get());
        offer(q, 7);
        Parked.join(t);
        assertEquals(List.of(7), items(taken));
    }

    @Test
    void closingSendsThePartialBatchAtOnce() throws Exception {
        BlockingBatchQueue<Integer> q = queue(4, MAX_DELAY_NANOS, 8);
        long start = clock.nanoTime();
        offer(q, 1, 2);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        q.close();
        Parked.join(t);
        assertEquals(List.of(1, 2), items(taken), "no more will come: the max delay is not waited out");
        assertNull(q.take());
    }

    @Test
    void closeAndDrainReleasesAWorkerWaitingForItsBatchEmptyHanded() throws Exception {
        BlockingBatchQueue<Integer> q = queue(4, MAX_DELAY_NANOS, 8);
        long start = clock.nanoTime();
        offer(q, 1, 2);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        assertEquals(List.of(1, 2), q.closeAndDrain());
        Parked.join(t);
        assertEquals("none", taken.get());
        assertEquals(0, q.size());
        assertEquals(Admission.CLOSED, offer(q, 3));
    }

    @Test
    void closeAndRemoveIfDropsTheMatchingItemsAndTheWorkerTakesTheRest() throws Exception {
        BlockingBatchQueue<Integer> q = queue(4, MAX_DELAY_NANOS, 8);
        long start = clock.nanoTime();
        offer(q, 1, 2, 3);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        clock.awaitSleeperUntil(start + MAX_DELAY_NANOS);
        assertEquals(List.of(2), q.closeAndRemoveIf(i -> i == 2));
        Parked.join(t);
        assertEquals(List.of(1, 3), items(taken));
        assertEquals(0, q.size());
        assertNull(q.take());
    }

    @Test
    void closeAndRemoveIfReleasesAWorkerOnAnEmptyQueue() throws Exception {
        BlockingBatchQueue<Integer> q = queue(4, 0, 8);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        Parked.await(t);
        assertEquals(List.of(), q.closeAndRemoveIf(i -> true));
        Parked.join(t);
        assertEquals("none", taken.get());
    }

    @Test
    void aProducerWaitingForRoomIsReleasedByEachKindOfClose() throws Exception {
        for (String how : List.of("close", "closeAndDrain", "closeAndRemoveIf")) {
            BlockingBatchQueue<Integer> q = queue(2, 0, 2);
            offer(q, 1, 2);
            AtomicReference<Object> room = new AtomicReference<>();
            Thread producer = awaitRoomOn(q, room);
            Parked.await(producer);
            assertNull(room.get(), how + ": the queue is full");
            switch (how) {
                case "close" -> q.close();
                case "closeAndDrain" -> q.closeAndDrain();
                default -> q.closeAndRemoveIf(i -> false);
            }
            Parked.join(producer);
            assertEquals(0, room.get(), how + ": a closed queue has no room");
        }
    }

    @Test
    void awaitRoomSaysHowManyFit() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 5);
        assertEquals(5, q.awaitRoom());
        offer(q, 1, 2);
        assertEquals(3, q.awaitRoom());
        assertEquals(2, q.size());
    }

    @Test
    void takingABatchMakesRoomForAWaitingProducer() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 3);
        offer(q, 1, 2, 3);
        AtomicReference<Object> room = new AtomicReference<>();
        Thread producer = awaitRoomOn(q, room);
        Parked.await(producer);
        assertEquals(List.of(1, 2), q.take().items());
        Parked.join(producer);
        assertEquals(2, room.get());
        assertEquals(1, q.size(), "the producer let go of the lock");
    }

    @Test
    void itemsThatWaitedPastTheTimeoutComeOutExpiredAtTheirDeadline() throws Exception {
        BatchPolicy policy = new BatchPolicy(4, MAX_DELAY_NANOS * 10, 0, false, 4, TIMEOUT_NANOS);
        BlockingBatchQueue<Integer> q = new BlockingBatchQueue<>(new BatchQueue<>(policy, 8), clock);
        long start = clock.nanoTime();
        offer(q, 1, 2);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        // expired once it has waited longer than the timeout: at start + timeout + 1
        long expiry = start + TIMEOUT_NANOS + 1;
        clock.awaitSleeperUntil(expiry);
        clock.advance(TIMEOUT_NANOS);
        clock.awaitSleeperUntil(expiry);
        assertNull(taken.get(), "having waited exactly the timeout, nothing has expired");
        clock.advance(1);
        Parked.join(t);
        BlockingBatchQueue.Batch<?> b = (BlockingBatchQueue.Batch<?>) taken.get();
        assertTrue(b.expired());
        assertEquals(List.of(1, 2), b.items());
        assertEquals(expiry, b.takenNanos());
        assertEquals(0, q.size());
    }

    @Test
    void aSecondWorkerIsWokenForWhatTheFirstLeft() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 8);
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        Thread a = worker(q, first);
        Thread b = worker(q, second);
        Parked.await(a);
        Parked.await(b);
        offer(q, 1, 2, 3);
        Parked.join(a);
        Parked.join(b);
        List<List<Integer>> got = List.of(items(first), items(second));
        assertTrue(got.contains(List.of(1, 2)) && got.contains(List.of(3)), "got " + got);
        assertFalse(first.get() == second.get());
    }

    @Test
    void anInterruptEndsTheWaitOfAWorker() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 8);
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread t = worker(q, taken);
        Parked.await(t);
        t.interrupt();
        Parked.join(t);
        assertTrue(taken.get() instanceof InterruptedException, "got " + taken.get());
    }

    @Test
    void aProducerWaitingOnAFullQueueIsWokenOnceHalfOfItIsFreeNotAtEveryBatch() throws Exception {
        BlockingBatchQueue<Integer> q = queue(2, 0, 8);
        assertEquals(Admission.ACCEPTED, offer(q, 1, 2, 3, 4, 5, 6, 7, 8));
        AtomicReference<Object> room = new AtomicReference<>();
        Thread producer = awaitRoomOn(q, room);
        Parked.await(producer);
        assertEquals(List.of(1, 2), q.take().items());
        assertTrue(q.producerWaitsForRoom(), "2 of 8 slots free: the producer sleeps on");
        assertEquals(List.of(3, 4), q.take().items());
        assertFalse(q.producerWaitsForRoom(), "4 of 8 free: woken");
        Parked.join(producer);
        assertEquals(4, room.get());
    }

    @Test
    void aProducerWaitingOnAFullQueueIsWokenWhenAWorkerWouldWaitForItems() throws Exception {
        // a batch holds 8 records or 10 tokens: the first two (5 tokens each) go at once, the six
        // light ones left wait for more, and only the producer can bring more
        BlockingBatchQueue<Integer> q = new BlockingBatchQueue<>(
                new BatchQueue<>(new BatchPolicy(8, MAX_DELAY_NANOS, 10, false, 8), 8), clock);
        long[] arrivals = new long[8];
        java.util.Arrays.fill(arrivals, clock.nanoTime());
        assertEquals(Admission.ACCEPTED, q.offerAll(List.of(1, 2, 3, 4, 5, 6, 7, 8), arrivals,
                new int[] {5, 5, 1, 1, 1, 1, 1, 1}));
        AtomicReference<Object> room = new AtomicReference<>();
        Thread producer = awaitRoomOn(q, room);
        Parked.await(producer);
        assertEquals(List.of(1, 2), q.take().items());
        assertTrue(q.producerWaitsForRoom(), "2 of 8 slots free and no worker waiting: the producer sleeps on");
        AtomicReference<Object> taken = new AtomicReference<>();
        Thread worker = worker(q, taken);
        Parked.join(producer);
        assertEquals(2, room.get(), "woken by the worker that waits for the batch to fill");
        assertNull(taken.get(), "the worker still waits for its batch");
        offer(q, 9, 10);
        Parked.join(worker);
        assertEquals(List.of(3, 4, 5, 6, 7, 8, 9, 10), items(taken));
    }
}
