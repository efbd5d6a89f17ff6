package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a grouped batch leaves behind: the items it skipped keep their order, their arrival times and
 * their weights, so the next decision sees them exactly as they were.
 */
class BatchQueueCompactionTest {

    private static BatchQueue.Poll.Batch<String> batch(BatchQueue<String> q, long now) {
        BatchQueue.Poll<String> p = q.poll(now);
        if (p instanceof BatchQueue.Poll.Batch<String> b) {
            return b;
        }
        throw new AssertionError("expected a batch, got " + p);
    }

    @Test
    void theItemsAGroupedBatchSkipsKeepTheirArrivalsAndWeights() {
        BatchQueue<String> q = new BatchQueue<>(new BatchPolicy(2, 0, 0, true, 8), 8);
        String[] names = {"a", "b", "c", "d", "e"};
        int[] weights = {1, 9, 1, 9, 5};
        for (int i = 0; i < names.length; i++) {
            q.offer(names[i], 10 + i, weights[i]);
        }
        BatchQueue.Poll.Batch<String> first = batch(q, 100);
        assertEquals(List.of("a", "c"), first.items());
        assertArrayEquals(new long[] {10, 12}, first.arrivalNanos());
        assertEquals(3, q.size());

        // b still weighs 9: it goes with d (9), not with e (5)
        BatchQueue.Poll.Batch<String> second = batch(q, 100);
        assertEquals(List.of("b", "d"), second.items());
        assertArrayEquals(new long[] {11, 13}, second.arrivalNanos());

        BatchQueue.Poll.Batch<String> third = batch(q, 100);
        assertEquals(List.of("e"), third.items());
        assertArrayEquals(new long[] {14}, third.arrivalNanos());
        assertEquals(0, q.size());
    }

    @Test
    void aGroupedBatchFromTheMiddleOfAWrappedRingKeepsTheRestInOrder() {
        BatchQueue<String> q = new BatchQueue<>(new BatchPolicy(3, 0, 0, true, 6), 6);
        for (String s : List.of("x", "y", "z", "w")) {
            q.offer(s, 0, 1);
        }
        assertEquals(List.of("x", "y", "z"), batch(q, 0).items());
        // the ring's head is now at slot 3: these wrap round its end
        String[] names = {"a", "b", "c", "d", "e"};
        int[] weights = {2, 7, 2, 7, 2};
        for (int i = 0; i < names.length; i++) {
            q.offer(names[i], 20 + i, weights[i]);
        }
        assertEquals(List.of("w", "a", "c"), batch(q, 100).items(), "w weighs 1, a and c 2");
        BatchQueue.Poll.Batch<String> next = batch(q, 100);
        assertEquals(List.of("b", "d", "e"), next.items());
        assertArrayEquals(new long[] {21, 23, 24}, next.arrivalNanos());
    }

    @Test
    void aQueueKnowsItsPolicyAndCapacityAndNeedsRoomForOne() {
        BatchPolicy policy = BatchPolicy.of(4, 0);
        BatchQueue<String> q = new BatchQueue<>(policy, 1);
        assertSame(policy, q.policy());
        assertEquals(1, q.capacity());
        assertEquals(Admission.ACCEPTED, q.offer("a", 0, 1));
        assertEquals(Admission.FULL, q.offer("b", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchQueue<String>(policy, 0));
    }

    @Test
    void sendDecisionsAreEqualByTheirPositions() {
        Decision.Send a = new Decision.Send(new int[] {0, 2});
        Decision.Send same = new Decision.Send(new int[] {0, 2});
        Decision.Send other = new Decision.Send(new int[] {0, 1});
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, other);
        assertNotEquals(a, (Object) new Decision.Expire(2));
        assertEquals(2, a.size());
        assertEquals("Send[0, 2]", a.toString());
    }
}
