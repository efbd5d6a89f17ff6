package dev.batchwise.batching;

import java.util.Arrays;

/**
 * The batching decision as a pure function of (pending items, now, whether more can arrive, policy):
 * send these items now, or wait until a given time. No locks, no clock: the queue supplies both, and
 * tests call it with a fake time.
 *
 * <p>A batch is sent as soon as it is full: {@code maxBatchSize} items, or as many as the weight
 * budget allows while more are pending. A batch that is not full is sent when the oldest pending
 * item has waited {@code maxDelayNanos} (at once when that is 0), or when nothing more can arrive.
 *
 * <p>With a queue timeout, items that have waited longer than it ({@code now - arrival > timeout})
 * are expired first, before any batch is formed. As pending items are oldest first, the expired ones
 * are a prefix.
 */
public final class BatchPlanner {

    private BatchPlanner() {}

    /**
     * @param closed true when no more items will arrive: a partial batch is then sent at once
     */
    public static Decision decide(BatchPolicy policy, Pending pending, long nowNanos, boolean closed) {
        int n = pending.size();
        if (n == 0) {
            return closed ? Decision.FINISHED : Decision.WAIT_FOR_ARRIVAL;
        }
        long timeout = policy.queueTimeoutNanos();
        if (timeout > 0) {
            int expired = 0;
            while (expired < n && nowNanos - pending.arrivalNanos(expired) > timeout) {
                expired++;
            }
            if (expired > 0) {
                return new Decision.Expire(expired);
            }
        }
        Selection s = policy.groupByWeight() ? groupedSelection(policy, pending) : prefixSelection(policy, pending);
        boolean full = s.positions.length == policy.maxBatchSize() || s.cutByWeight;
        long deadline = pending.arrivalNanos(0) + policy.maxDelayNanos();
        if (full || closed || policy.maxDelayNanos() == 0 || nowNanos - deadline >= 0) {
            return new Decision.Send(s.positions);
        }
        if (timeout > 0) {
            // the first instant at which the oldest item has waited longer than the timeout
            long expiry = pending.arrivalNanos(0) + timeout + 1;
            if (expiry - deadline < 0) {
                deadline = expiry;
            }
        }
        return new Decision.WaitUntil(deadline);
    }

    private record Selection(int[] positions, boolean cutByWeight) {}

    /** The oldest items in arrival order, as many as size and weight allow. */
    private static Selection prefixSelection(BatchPolicy policy, Pending pending) {
        int limit = Math.min(pending.size(), policy.maxBatchSize());
        int count = 1;
        int heaviest = pending.weight(0);
        boolean cut = false;
        while (count < limit) {
            int w = Math.max(heaviest, pending.weight(count));
            if (exceeds(policy, count + 1, w)) {
                cut = true;
                break;
            }
            heaviest = w;
            count++;
        }
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
            positions[i] = i;
        }
        return new Selection(positions, cut);
    }

    /**
     * The oldest item and its nearest neighbours by weight among the first {@code lookahead} pending:
     * of the runs of consecutive items in weight order that contain the oldest, the one with the most
     * items (within size and weight limits), and of those the one whose weights spread least. The
     * batch is then the oldest items whose weights fall in that run's range.
     */
    private static Selection groupedSelection(BatchPolicy policy, Pending pending) {
        int window = Math.min(pending.size(), policy.lookahead());
        // Positions sorted by weight, ties in arrival order; packed as weight << 32 | position.
        long[] order = new long[window];
        for (int i = 0; i < window; i++) {
            order[i] = ((long) pending.weight(i) << 32) | i;
        }
        Arrays.sort(order);
        int oldestRank = 0;
        while ((int) order[oldestRank] != 0) {
            oldestRank++;
        }
        int bestStart = oldestRank;
        int bestCount = 1;
        long bestSpread = Long.MAX_VALUE;
        boolean bestCut = false;
        int firstStart = Math.max(0, oldestRank - policy.maxBatchSize() + 1);
        for (int start = firstStart; start <= oldestRank; start++) {
            int end = start; // inclusive
            boolean cut = false;
            while (end + 1 < window && end + 1 - start + 1 <= policy.maxBatchSize()) {
                if (exceeds(policy, end + 1 - start + 1, weightAt(order, end + 1))) {
                    cut = true;
                    break;
                }
                end++;
            }
            if (end < oldestRank) {
                // the budget stops this run before it reaches the oldest item
                continue;
            }
            int count = end - start + 1;
            long spread = weightAt(order, end) - weightAt(order, start);
            if (count > bestCount || (count == bestCount && spread < bestSpread)) {
                bestStart = start;
                bestCount = count;
                bestSpread = spread;
                bestCut = cut;
            }
        }
        // The run fixes a weight range; within it, take the oldest items, so ties go to the older.
        int low = weightAt(order, bestStart);
        int high = weightAt(order, bestStart + bestCount - 1);
        int[] positions = new int[bestCount];
        int taken = 1; // position 0, the oldest, is always taken
        for (int i = 1; i < window && taken < bestCount; i++) {
            int w = pending.weight(i);
            if (w >= low && w <= high) {
                positions[taken++] = i;
            }
        }
        return new Selection(positions, bestCut);
    }

    private static int weightAt(long[] order, int rank) {
        return (int) (order[rank] >>> 32);
    }

    private static boolean exceeds(BatchPolicy policy, int count, int heaviest) {
        return policy.maxBatchWeight() > 0 && (long) count * heaviest > policy.maxBatchWeight();
    }
}
