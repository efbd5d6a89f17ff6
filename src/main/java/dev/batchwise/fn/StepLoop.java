package dev.batchwise.fn;

import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One worker's loop around a {@link SteppedFunction}: before each step it asks the {@link StepPlanner}
 * which waiting records join, admits them, runs the step (their prefill, then one decoding step for
 * every running record), and hands every record that finished to the sink at once. When nothing runs
 * it blocks for the next record; it ends when the source is closed and empty and nothing runs.
 *
 * <p>Time is read through the {@link Clock}, so a test drives the loop with a fake one.
 *
 * @param <K> the records' handles
 */
public final class StepLoop<K> {

    /** Where the waiting records are: the queue, as the loop sees it. */
    public interface Waiting<K> {
        /** The oldest waiting records, at most {@code max}, oldest first, without taking them. Never blocks. */
        List<K> peek(int max);

        /** Takes the oldest {@code n} records, those {@link #peek} returned first. */
        void take(int n);

        /**
         * Blocks until a record waits; returns false when none will come (closed and empty). Its waits
         * go through the loop's clock.
         */
        boolean awaitRecord() throws InterruptedException;
    }

    /** Where each record goes when it leaves the running set. */
    public interface Sink<K> {
        /**
         * @param admittedNanos when it joined the running set, on the loop's clock
         * @param firstTokenNanos when its first output was ready: the end of the step that ran its prefill
         *     (its first token comes out of the prefill); {@code doneNanos} for a record that never ran
         * @param doneNanos when it left
         */
        void done(SteppedFunction.Completion<K> completion, long admittedNanos, long firstTokenNanos, long doneNanos);

        /**
         * One step ran, successfully or not.
         *
         * @param running the records it ran
         * @param stepNanos how long it took, on the loop's clock
         */
        default void stepped(int running, long stepNanos) {}
    }

    private final SteppedFunction<K> function;
    private final Function<K, List<Object>> args;
    private final StepPlanner.Budget budget;
    private final Clock clock;
    private final java.util.Map<K, Long> admittedAt = new java.util.HashMap<>();
    /** The records admitted since the last step: their first token comes out of the next one. */
    private final List<K> prefilling = new ArrayList<>();
    private final java.util.Map<K, Long> firstTokenAt = new java.util.HashMap<>();

    /**
     * @param args a record's arguments, one per input parameter
     */
    public StepLoop(SteppedFunction<K> function, Function<K, List<Object>> args, StepPlanner.Budget budget,
            Clock clock) {
        this.function = function;
        this.args = args;
        this.budget = budget;
        this.clock = clock;
    }

    /**
     * Runs until the source is done and every admitted record has left. A step that fails fails only the
     * records then running (they come back failed from the function's drain); the loop goes on.
     *
     * @throws InterruptedException when the thread is interrupted; the records running are then abandoned
     */
    public void run(Waiting<K> waiting, Sink<K> sink) throws InterruptedException {
        while (true) {
            if (function.running().isEmpty() && !waiting.awaitRecord()) {
                return;
            }
            if (Thread.interrupted()) { // the run gave up on this worker: stop stepping
                throw new InterruptedException("stopped between steps");
            }
            admit(waiting, sink);
            int running = function.running().size();
            if (running > 0) {
                long start = clock.nanoTime();
                try {
                    function.step();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // the function has failed the records it held: they come out of drain() below
                }
                long end = clock.nanoTime();
                for (K k : prefilling) {
                    firstTokenAt.put(k, end);
                }
                prefilling.clear();
                sink.stepped(running, end - start);
            }
            long now = clock.nanoTime();
            for (SteppedFunction.Completion<K> c : function.drain()) {
                Long at = admittedAt.remove(c.key());
                Long first = firstTokenAt.remove(c.key());
                prefilling.remove(c.key());
                sink.done(c, at == null ? now : at, first == null ? now : first, now);
            }
        }
    }

    private void admit(Waiting<K> waiting, Sink<K> sink) {
        int room = budget.maxRunning() - function.running().size();
        if (room <= 0) {
            return;
        }
        List<K> candidates = waiting.peek(room);
        List<StepCost> costs = new ArrayList<>(candidates.size());
        List<Exception> invalid = new ArrayList<>(candidates.size());
        for (K k : candidates) {
            try {
                costs.add(function.cost(args.apply(k)));
                invalid.add(null);
            } catch (IllegalArgumentException e) {
                costs.add(new StepCost(1, Long.MAX_VALUE)); // never fits: rejected below, with this message
                invalid.add(e);
            }
        }
        StepPlanner.Plan plan = StepPlanner.plan(function.running(), costs, budget);
        long now = clock.nanoTime();
        for (int i : plan.reject()) {
            Exception why = invalid.get(i) != null ? invalid.get(i) : new IllegalArgumentException("the record needs "
                    + costs.get(i).kvCacheBytes() + " bytes of KV cache, more than the budget of "
                    + budget.kvCacheBytes() + " bytes; lower its max_tokens or raise the budget");
            sink.done(new SteppedFunction.Completion<>(candidates.get(i), null, why), now, now, now);
        }
        for (int i : plan.admit()) {
            K k = candidates.get(i);
            admittedAt.put(k, now);
            prefilling.add(k);
            function.admit(k, args.apply(k));
        }
        waiting.take(plan.taken());
    }
}
