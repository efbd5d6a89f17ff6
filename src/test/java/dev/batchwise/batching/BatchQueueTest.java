package dev.batchwise.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The queue's batching on a fake clock: a discrete-event simulation of arrivals and workers drives
 * {@link BatchQueue} exactly as {@link BlockingBatchQueue} does (poll when free; when told to wait,
 * poll again at the deadline or the next arrival), and the tests assert the exact groupings.
 */
class BatchQueueTest {

    private static final long MS = 1_000_000;

    /** One batch as the simulation ran it, or items a worker found expired ({@code expired}) and did not run. */
    record Run(int worker, long startNanos, List<Integer> items, boolean expired) {
        Run(int worker, long startNanos, List<Integer> items) {
            this(worker, startNanos, items, false);
        }
    }

    /**
     * Simulates {@code workers} workers over arrivals given as {@code [time, id]} (ascending time).
     * A batch occupies its worker for {@code service} nanoseconds. The queue closes after the last
     * arrival when {@code closeAtEnd}.
     */
    static List<Run> simulate(BatchPolicy policy, int capacity, int workers, long[][] arrivals,
            ToLongFunction<List<Integer>> service, boolean closeAtEnd) {
        BatchQueue<Integer> queue = new BatchQueue<>(policy, capacity);
        long[] freeAt = new long[workers];
        List<Run> runs = new ArrayList<>();
        int next = 0;
        long now = 0;
        while (true) {
            while (next < arrivals.length && arrivals[next][0] <= now) {
                assertEquals(Admission.ACCEPTED, queue.offer((int) arrivals[next][1], arrivals[next][0], 1));
                next++;
            }
            if (closeAtEnd && next == arrivals.length) {
                queue.close();
            }
            long wakeUp = Long.MAX_VALUE;
            for (int w = 0; w < workers; w++) {
                if (freeAt[w] > now) {
                    wakeUp = Math.min(wakeUp, freeAt[w]);
                    continue;
                }
                BatchQueue.Poll<Integer> poll = queue.poll(now);
                while (poll instanceof BatchQueue.Poll.Expired<Integer> e) {
                    // reported without running, so the worker asks again at once
                    runs.add(new Run(w, now, e.items(), true));
                    poll = queue.poll(now);
                }
                if (poll instanceof BatchQueue.Poll.Batch<Integer> b) {
                    runs.add(new Run(w, now, b.items()));
                    freeAt[w] = now + service.applyAsLong(b.items());
                    wakeUp = Math.min(wakeUp, freeAt[w]);
                } else if (poll instanceof BatchQueue.Poll.WaitUntil<Integer> u) {
                    wakeUp = Math.min(wakeUp, u.deadlineNanos());
                }
            }
            if (next < arrivals.length) {
                wakeUp = Math.min(wakeUp, arrivals[next][0]);
            }
            if (wakeUp == Long.MAX_VALUE) {
                return runs;
            }
            now = Math.max(now, wakeUp);
        }
    }

    private static List<List<Integer>> groupings(List<Run> runs) {
        return runs.stream().map(Run::items).toList();
    }

    private static long[][] at(long time, int... ids) {
        long[][] a = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            a[i] = new long[] {time, ids[i]};
        }
        return a;
    }

    private static long[][] arrivals(long... timeIdPairs) {
        long[][] a = new long[timeIdPairs.length / 2][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new long[] {timeIdPairs[2 * i], timeIdPairs[2 * i + 1]};
        }
        return a;
    }

    @Test
    void aBurstIsCutIntoMaxSizeBatches() {
        List<Run> runs = simulate(BatchPolicy.of(3, 0), 100, 1, at(0, 1, 2, 3, 4, 5, 6, 7), b -> 10 * MS, true);
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), groupings(runs));
    }

    @Test
    void withNoDelayABusyWorkerCollectsWhatArrivesMeanwhile() {
        long[][] a = arrivals(0, 1, 1 * MS, 2, 2 * MS, 3, 3 * MS, 4, 12 * MS, 5);
        List<Run> runs = simulate(BatchPolicy.of(8, 0), 100, 1, a, b -> 10 * MS, true);
        assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5)), groupings(runs));
        assertEquals(List.of(0L, 10 * MS, 20 * MS), runs.stream().map(Run::startNanos).toList());
    }

    @Test
    void maxDelayHoldsAPartialBatchUntilTheOldestHasWaitedThatLong() {
        long[][] a = arrivals(0, 1, 2 * MS, 2, 4 * MS, 3, 6 * MS, 4, 7 * MS, 5, 8 * MS, 6, 9 * MS, 7);
        List<Run> runs = simulate(BatchPolicy.of(4, 5 * MS), 100, 1, a, b -> MS, false);
        assertEquals(List.of(List.of(1, 2, 3), List.of(4, 5, 6, 7)), groupings(runs));
        // sent at the delay, not before; the second batch is full at 9 ms, before its delay ends at 11 ms
        assertEquals(List.of(5 * MS, 9 * MS), runs.stream().map(Run::startNanos).toList());
    }

    @Test
    void nothingIsSentOneTickBeforeTheDelayAndEverythingAtIt() {
        BatchQueue<Integer> queue = new BatchQueue<>(BatchPolicy.of(4, 5 * MS), 10);
        queue.offer(1, 0, 1);
        queue.offer(2, 3 * MS, 1);
        assertInstanceOf(BatchQueue.Poll.WaitUntil.class, queue.poll(5 * MS - 1));
        BatchQueue.Poll<Integer> poll = queue.poll(5 * MS);
        assertEquals(List.of(1, 2), ((BatchQueue.Poll.Batch<Integer>) poll).items());
    }

    @Test
    void twoWorkersTakeBatchesAsTheyBecomeFree() {
        long[][] a = arrivals(0, 1, 1 * MS, 2, 2 * MS, 3, 3 * MS, 4, 4 * MS, 5);
        List<Run> runs = simulate(BatchPolicy.of(8, 0), 100, 2, a, b -> 10 * MS, true);
        assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4, 5)), groupings(runs));
        assertEquals(List.of(0, 1, 0), runs.stream().map(Run::worker).toList());
        assertEquals(List.of(0L, 1 * MS, 10 * MS), runs.stream().map(Run::startNanos).toList());
    }

    @Test
    void twoWorkersWithMaxDelay() {
        List<Run> runs = simulate(BatchPolicy.of(2, 5 * MS), 100, 2, at(0, 1, 2, 3, 4, 5), b -> 10 * MS, false);
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5)), groupings(runs));
        // item 5 is due at 5 ms but both workers are busy until 10 ms
        assertEquals(List.of(0L, 0L, 10 * MS), runs.stream().map(Run::startNanos).toList());
    }

    @Test
    void threeWorkersShareABurst() {
        List<Run> runs = simulate(BatchPolicy.of(2, 0), 100, 3, at(0, 1, 2, 3, 4, 5, 6, 7, 8), b -> 10 * MS, true);
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8)), groupings(runs));
        assertEquals(List.of(0, 1, 2, 0), runs.stream().map(Run::worker).toList());
    }

    @Test
    void boundedCapacityRefusesWhenFullAndTakesAgainOnceABatchLeaves() {
        BatchQueue<Integer> queue = new BatchQueue<>(BatchPolicy.of(2, 0), 3);
        assertEquals(Admission.ACCEPTED, queue.offer(1, 0, 1));
        assertEquals(Admission.ACCEPTED, queue.offer(2, 0, 1));
        assertEquals(Admission.ACCEPTED, queue.offer(3, 0, 1));
        assertEquals(Admission.FULL, queue.offer(4, 0, 1));
        queue.poll(0);
        assertEquals(2, queue.freeCapacity());
        assertEquals(Admission.ACCEPTED, queue.offer(4, 0, 1));
        queue.close();
        assertEquals(Admission.CLOSED, queue.offer(5, 0, 1));
    }

    @Test
    void groupedBatchesLeaveTheOthersInArrivalOrder() {
        BatchQueue<String> queue = new BatchQueue<>(new BatchPolicy(2, 0, 0, true, 8), 8);
        String[] names = {"a", "b", "c", "d", "e"};
        int[] weights = {5, 50, 6, 51, 7};
        for (int i = 0; i < names.length; i++) {
            queue.offer(names[i], i, weights[i]);
        }
        List<List<String>> batches = new ArrayList<>();
        BatchQueue.Poll<String> poll;
        while ((poll = queue.poll(100)) instanceof BatchQueue.Poll.Batch<String> b) {
            batches.add(b.items());
        }
        assertEquals(List.of(List.of("a", "c"), List.of("b", "d"), List.of("e")), batches);
    }

    @Test
    void wrapsAroundTheRingWhenGrouping() {
        BatchQueue<Integer> queue = new BatchQueue<>(new BatchPolicy(2, 0, 0, true, 4), 4);
        List<List<Integer>> batches = new ArrayList<>();
        int[] weights = {1, 9, 1, 9, 1, 9, 1, 9, 1, 9};
        int offered = 0;
        while (batches.stream().mapToInt(List::size).sum() < weights.length) {
            while (offered < weights.length && queue.freeCapacity() > 0) {
                queue.offer(offered, offered, weights[offered]);
                offered++;
            }
            if (offered == weights.length) {
                queue.close();
            }
            if (queue.poll(1000) instanceof BatchQueue.Poll.Batch<Integer> b) {
                batches.add(b.items());
            }
        }
        assertEquals(List.of(List.of(0, 2), List.of(1, 3), List.of(4, 6), List.of(5, 7), List.of(8, 9)),
                batches);
    }

    @Test
    void aRecordStillQueuedWhenItsTimeoutPassesIsExpiredNotRun() {
        BatchPolicy policy = BatchPolicy.of(2, 0).withQueueTimeout(15 * MS);
        List<Run> runs = simulate(policy, 100, 1, at(0, 1, 2, 3, 4, 5), b -> 10 * MS, true);
        // 3 and 4 have waited 10 ms when the worker comes back; 5 has waited 20 ms
        assertEquals(List.of(new Run(0, 0, List.of(1, 2)), new Run(0, 10 * MS, List.of(3, 4)),
                new Run(0, 20 * MS, List.of(5), true)), runs);
    }

    @Test
    void aWorkerHoldingAPartialBatchWakesAtTheEarliestExpiry() {
        BatchPolicy policy = BatchPolicy.of(4, 50 * MS).withQueueTimeout(10 * MS);
        List<Run> runs = simulate(policy, 100, 1, arrivals(0, 1, 4 * MS, 2), b -> MS, false);
        assertEquals(List.of(new Run(0, 10 * MS + 1, List.of(1), true), new Run(0, 14 * MS + 1, List.of(2), true)),
                runs);
    }

    @Test
    void expiredItemsLeaveRoomAndTheRestStillBatch() {
        BatchQueue<Integer> queue = new BatchQueue<>(BatchPolicy.of(2, 0).withQueueTimeout(10 * MS), 4);
        queue.offer(1, 0, 1);
        queue.offer(2, 0, 1);
        queue.offer(3, 5 * MS, 1);
        queue.offer(4, 12 * MS, 1);
        assertEquals(Admission.FULL, queue.offer(5, 12 * MS, 1));
        BatchQueue.Poll.Expired<Integer> expired = (BatchQueue.Poll.Expired<Integer>) queue.poll(10 * MS + 1);
        assertEquals(List.of(1, 2), expired.items());
        assertEquals(2, queue.freeCapacity());
        assertEquals(List.of(3, 4), ((BatchQueue.Poll.Batch<Integer>) queue.poll(10 * MS + 1)).items());
    }

    @Test
    void closeAndRemoveIfKeepsTheOthersInOrderAcrossTheRingsEnd() {
        BatchQueue<Integer> queue = new BatchQueue<>(BatchPolicy.of(2, 0), 4);
        for (int i = 1; i <= 4; i++) {
            queue.offer(i, 0, 1);
        }
        queue.poll(0); // takes 1, 2: the head moves, so 5 and 6 wrap around
        queue.offer(5, 0, 1);
        queue.offer(6, 0, 1);
        assertEquals(List.of(4, 6), queue.closeAndRemoveIf(i -> i % 2 == 0));
        assertEquals(Admission.CLOSED, queue.offer(7, 0, 1));
        assertEquals(List.of(3, 5), ((BatchQueue.Poll.Batch<Integer>) queue.poll(0)).items());
        assertInstanceOf(BatchQueue.Poll.Finished.class, queue.poll(0));
    }
}
