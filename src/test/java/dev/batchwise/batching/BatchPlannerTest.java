package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchPlannerTest {

    private static final long MS = 1_000_000;

    /** Pending items built by a test: arrival times and weights. */
    private static final class Items implements Pending {
        final List<long[]> items = new ArrayList<>();

        Items add(long arrivalNanos, int weight) {
            items.add(new long[] {arrivalNanos, weight});
            return this;
        }

        Items add(long arrivalNanos) {
            return add(arrivalNanos, 1);
        }

        Items addWeights(long arrivalNanos, int... weights) {
            for (int w : weights) {
                add(arrivalNanos, w);
            }
            return this;
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public long arrivalNanos(int i) {
            return items.get(i)[0];
        }

        @Override
        public int weight(int i) {
            return (int) items.get(i)[1];
        }
    }

    private static Decision.Send send(int... positions) {
        return new Decision.Send(positions);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    void nothingPendingWaitsForAnArrivalOrFinishesWhenClosed() {
        BatchPolicy p = BatchPolicy.of(4, 0);
        assertEquals(Decision.WAIT_FOR_ARRIVAL, BatchPlanner.decide(p, new Items(), 0, false));
        assertEquals(Decision.FINISHED, BatchPlanner.decide(p, new Items(), 0, true));
    }

    @Test
    void zeroDelaySendsWhateverIsPendingAtOnce() {
        BatchPolicy p = BatchPolicy.of(4, 0);
        Items pending = new Items().add(0).add(0);
        assertEquals(send(0, 1), BatchPlanner.decide(p, pending, 0, false));
    }

    @Test
    void neverMoreThanMaxBatchSize() {
        BatchPolicy p = BatchPolicy.of(4, 0);
        Items pending = new Items();
        for (int i = 0; i < 10; i++) {
            pending.add(0);
        }
        assertEquals(send(0, 1, 2, 3), BatchPlanner.decide(p, pending, 0, false));
    }

    @Test
    void partialBatchWaitsUntilTheOldestHasWaitedMaxDelay() {
        BatchPolicy p = BatchPolicy.of(4, 10 * MS);
        Items pending = new Items().add(100 * MS).add(105 * MS);
        long deadline = 110 * MS;
        assertEquals(new Decision.WaitUntil(deadline), BatchPlanner.decide(p, pending, 100 * MS, false));
        assertEquals(new Decision.WaitUntil(deadline), BatchPlanner.decide(p, pending, deadline - 1, false));
        assertEquals(send(0, 1), BatchPlanner.decide(p, pending, deadline, false));
    }

    @Test
    void fullBatchGoesBeforeTheDelay() {
        BatchPolicy p = BatchPolicy.of(3, 10 * MS);
        Items pending = new Items().add(0).add(1).add(2);
        assertEquals(send(0, 1, 2), BatchPlanner.decide(p, pending, 2, false));
    }

    @Test
    void closedQueueSendsAPartialBatchWithoutWaiting() {
        BatchPolicy p = BatchPolicy.of(4, 10 * MS);
        Items pending = new Items().add(0);
        assertEquals(send(0), BatchPlanner.decide(p, pending, 1, true));
    }

    @Test
    void deadlineArithmeticSurvivesClockWrapAround() {
        BatchPolicy p = BatchPolicy.of(4, 10);
        Items pending = new Items().add(Long.MAX_VALUE - 5);
        assertEquals(new Decision.WaitUntil(Long.MAX_VALUE + 5), BatchPlanner.decide(p, pending, Long.MAX_VALUE, false));
        assertEquals(send(0), BatchPlanner.decide(p, pending, Long.MAX_VALUE + 5, false));
    }

    @Nested
    class WeightBudget {
        @Test
        void countsPaddingAsItemsTimesTheHeaviest() {
            // budget 40: [10, 10, 10] weighs 30; adding 20 would make 4 x 20 = 80
            BatchPolicy p = new BatchPolicy(8, 0, 40, false, 8);
            Items pending = new Items().addWeights(0, 10, 10, 10, 20, 5);
            assertEquals(send(0, 1, 2), BatchPlanner.decide(p, pending, 0, false));
        }

        @Test
        void aBatchCutByTheBudgetIsFullAndDoesNotWait() {
            BatchPolicy p = new BatchPolicy(8, 50 * MS, 40, false, 8);
            Items pending = new Items().addWeights(0, 30, 30);
            assertEquals(send(0), BatchPlanner.decide(p, pending, 0, false));
        }

        @Test
        void anItemHeavierThanTheBudgetStillGoesAlone() {
            BatchPolicy p = new BatchPolicy(8, 0, 40, false, 8);
            Items pending = new Items().addWeights(0, 100, 1);
            assertEquals(send(0), BatchPlanner.decide(p, pending, 0, false));
        }
    }

    @Nested
    class GroupByWeight {
        @Test
        void picksTheOldestAndItsNearestNeighboursByWeight() {
            BatchPolicy p = new BatchPolicy(3, 0, 0, true, 8);
            //                                   0   1  2   3  4   5
            Items pending = new Items().addWeights(0, 10, 90, 11, 95, 9, 50);
            assertEquals(send(0, 2, 4), BatchPlanner.decide(p, pending, 0, false));
        }

        @Test
        void theOldestAlwaysGoesEvenWhenItIsTheOddOneOut() {
            BatchPolicy p = new BatchPolicy(2, 0, 0, true, 8);
            Items pending = new Items().addWeights(0, 100, 5, 5, 5, 5);
            Decision d = BatchPlanner.decide(p, pending, 0, false);
            assertArrayEquals(new int[] {0, 1}, ((Decision.Send) d).positions());
        }

        @Test
        void looksNoFurtherThanTheLookahead() {
            BatchPolicy p = new BatchPolicy(2, 0, 0, true, 3);
            Items pending = new Items().addWeights(0, 50, 10, 20, 50);
            // the twin of item 0 is at position 3, beyond the look-ahead of 3
            assertEquals(send(0, 2), BatchPlanner.decide(p, pending, 0, false));
        }

        @Test
        void prefersMoreItemsUnderTheBudgetOverLessSpread() {
            // budget 60: {30, 30} weighs 60; {20, 20, 30} weighs 90 (too much); {10, 20, 20} weighs 60
            BatchPolicy p = new BatchPolicy(4, 0, 60, true, 8);
            Items pending = new Items().addWeights(0, 20, 30, 10, 20, 30);
            assertEquals(send(0, 2, 3), BatchPlanner.decide(p, pending, 0, false));
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 5, 16})
        void equalWeightsKeepArrivalOrder(int maxBatch) {
            BatchPolicy p = new BatchPolicy(maxBatch, 0, 0, true, 64);
            Items pending = new Items();
            for (int i = 0; i < 40; i++) {
                pending.add(i, 7);
            }
            assertEquals(send(range(maxBatch)), BatchPlanner.decide(p, pending, 100, false));
        }

        @Test
        void aPartialGroupStillWaitsForTheDelay() {
            BatchPolicy p = new BatchPolicy(4, 10 * MS, 0, true, 8);
            Items pending = new Items().addWeights(0, 5, 6);
            assertEquals(new Decision.WaitUntil(10 * MS), BatchPlanner.decide(p, pending, 10 * MS - 1, false));
            assertEquals(send(0, 1), BatchPlanner.decide(p, pending, 10 * MS, false));
        }
    }

    @Nested
    class QueueTimeout {
        private final BatchPolicy noDelay = BatchPolicy.of(4, 0).withQueueTimeout(10 * MS);

        @Test
        void anItemThatHasWaitedExactlyTheTimeoutStillGoes() {
            Items pending = new Items().add(0).add(0).add(5 * MS);
            assertEquals(send(0, 1, 2), BatchPlanner.decide(noDelay, pending, 10 * MS, false));
        }

        @Test
        void itemsThatWaitedLongerExpireOldestFirstBeforeAnyBatch() {
            Items pending = new Items().add(0).add(0).add(5 * MS).add(20 * MS);
            assertEquals(new Decision.Expire(2), BatchPlanner.decide(noDelay, pending, 10 * MS + 1, false));
            assertEquals(new Decision.Expire(3), BatchPlanner.decide(noDelay, pending, 15 * MS + 1, false));
            // even when the queue is closed and a full batch is ready
            assertEquals(new Decision.Expire(3), BatchPlanner.decide(noDelay, pending, 15 * MS + 1, true));
        }

        @Test
        void aPartialBatchWaitsNoLongerThanItsOldestItemCanWait() {
            BatchPolicy p = BatchPolicy.of(4, 50 * MS).withQueueTimeout(10 * MS);
            Items pending = new Items().add(100 * MS).add(104 * MS);
            long expiry = 110 * MS + 1;
            assertEquals(new Decision.WaitUntil(expiry), BatchPlanner.decide(p, pending, 100 * MS, false));
            assertEquals(new Decision.WaitUntil(expiry), BatchPlanner.decide(p, pending, expiry - 1, false));
            assertEquals(new Decision.Expire(1), BatchPlanner.decide(p, pending, expiry, false));
        }

        @Test
        void aMaxDelayShorterThanTheTimeoutStillEndsTheWait() {
            BatchPolicy p = BatchPolicy.of(4, 5 * MS).withQueueTimeout(10 * MS);
            Items pending = new Items().add(100 * MS);
            assertEquals(new Decision.WaitUntil(105 * MS), BatchPlanner.decide(p, pending, 100 * MS, false));
            assertEquals(send(0), BatchPlanner.decide(p, pending, 105 * MS, false));
        }

        @Test
        void expirySurvivesClockWrapAround() {
            BatchPolicy p = BatchPolicy.of(4, 100).withQueueTimeout(10);
            Items pending = new Items().add(Long.MAX_VALUE - 5);
            assertEquals(new Decision.WaitUntil(Long.MAX_VALUE + 6), BatchPlanner.decide(p, pending, Long.MAX_VALUE, false));
            assertEquals(new Decision.Expire(1), BatchPlanner.decide(p, pending, Long.MAX_VALUE + 6, false));
        }
    }
}
