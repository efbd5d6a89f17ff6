package dev.batchwise.fn;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision a worker of a {@link SteppedFunction} makes before each step: which of the waiting
 * records join the running set. A pure function of the running set's costs, the waiting records'
 * costs (oldest first) and the budgets, so that it is tested without a model or a thread.
 *
 * <p>The rule, first come first served as vLLM's scheduler has it: the waiting records are taken in
 * order while each fits beside the running set and the ones taken before it; the first that does not
 * fit stops the taking, so no record overtakes an older one. A record that could never fit, even
 * alone, does not stop it: it is rejected, to fail alone, and the next one is looked at.
 */
public final class StepPlanner {

    private StepPlanner() {}

    /**
     * The budgets of one worker's running set.
     *
     * @param maxRunning the most records running at once (the max batch size)
     * @param maxPrefillTokens the most tokens the prefill of one step computes on, counting padding
     *     (records taken × their longest prompt); a record longer than this still goes, alone. 0: no limit
     * @param kvCacheBytes the most KV cache the running set may hold at once
     * @param paddedCache whether the running set's cache is padded to its longest record (one tensor
     *     of records × longest; Optimum's decoder layout), so that it holds records × the largest
     *     {@link StepCost#kvCacheBytes()}; else it holds their sum (a paged cache)
     */
    public record Budget(int maxRunning, long maxPrefillTokens, long kvCacheBytes, boolean paddedCache) {
        public Budget {
            if (maxRunning < 1) {
                throw new IllegalArgumentException("the running set needs room for at least one record, not " + maxRunning);
            }
            if (maxPrefillTokens < 0 || kvCacheBytes < 1) {
                throw new IllegalArgumentException("budgets must be positive (prefill tokens 0: no limit)");
            }
        }
    }

    /**
     * @param admit indices into the waiting list of the records to admit now, in order
     * @param reject indices of the records that can never fit, even alone: each fails alone
     */
    public record Plan(List<Integer> admit, List<Integer> reject) {
        public Plan {
            admit = List.copyOf(admit);
            reject = List.copyOf(reject);
        }

        /** How many records from the front of the waiting list this plan takes, admitted or rejected. */
        public int taken() {
            int last = -1;
            for (int i : admit) {
                last = Math.max(last, i);
            }
            for (int i : reject) {
                last = Math.max(last, i);
            }
            return last + 1;
        }
    }

    public static Plan plan(List<StepCost> running, List<StepCost> waiting, Budget budget) {
        List<Integer> admit = new ArrayList<>();
        List<Integer> reject = new ArrayList<>();
        int rows = running.size();
        long maxKv = 0;
        long sumKv = 0;
        for (StepCost c : running) {
            maxKv = Math.max(maxKv, c.kvCacheBytes());
            sumKv += c.kvCacheBytes();
        }
        int prefillRows = 0;
        int longestPrompt = 0;
        for (int i = 0; i < waiting.size() && rows < budget.maxRunning(); i++) {
            StepCost w = waiting.get(i);
            if (w.kvCacheBytes() > budget.kvCacheBytes()) {
                reject.add(i);
                continue;
            }
            int longest = Math.max(longestPrompt, w.prefillTokens());
            if (prefillRows > 0 && budget.maxPrefillTokens() > 0
                    && (long) (prefillRows + 1) * longest > budget.maxPrefillTokens()) {
                break;
            }
            long newMax = Math.max(maxKv, w.kvCacheBytes());
            long footprint = budget.paddedCache() ? (rows + 1) * newMax : sumKv + w.kvCacheBytes();
            if (footprint > budget.kvCacheBytes()) {
                break;
            }
            admit.add(i);
            rows++;
            prefillRows++;
            longestPrompt = longest;
            maxKv = newMax;
            sumKv += w.kvCacheBytes();
        }
        return new Plan(admit, reject);
    }

    /** Whether a record could ever run under these budgets, alone in the running set. */
    public static boolean fitsAlone(StepCost cost, Budget budget) {
        return cost.kvCacheBytes() <= budget.kvCacheBytes();
    }
}
