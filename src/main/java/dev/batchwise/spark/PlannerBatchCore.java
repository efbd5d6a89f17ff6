package dev.batchwise.spark;

import dev.batchwise.batching.BatchPlanner;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.batching.Decision;
import dev.batchwise.batching.Pending;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.Failure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@link BatchCore} on the command line's batch planner, without a queue or threads: a partition's
 * records are all there to be read, so every decision is taken as if no more could arrive, over a
 * window of the next {@code lookahead} records.
 */
final class PlannerBatchCore implements BatchCore {

    @Override
    public <T> Iterator<Outcome<T>> run(BatchFunction function, String name, Signature signature, BatchPolicy policy,
            Iterator<Item<T>> items, Listener listener) {
        return new Run<>(function, name, signature, policy, items, listener);
    }

    private static final class Slot<T> {
        final long index;
        final Item<T> item;
        Outcome<T> outcome;

        Slot(long index, Item<T> item) {
            this.index = index;
            this.item = item;
        }
    }

    /**
     * One partition's run. Invariants: {@code window} holds the read slots not yet emitted, in read
     * order, at most twice {@code lookahead}; {@code pending} those of them not yet run, in read
     * order, at most {@code lookahead}.
     */
    private static final class Run<T> implements Iterator<Outcome<T>>, Pending {
        private final BatchFunction function;
        private final String name;
        private final List<String> outputNames;
        private final int inputCount;
        private final BatchPolicy policy;
        private final Iterator<Item<T>> items;
        private final Listener listener;
        private final ArrayDeque<Slot<T>> window = new ArrayDeque<>();
        private final List<Slot<T>> pending = new ArrayList<>();
        private long read;

        Run(BatchFunction function, String name, Signature signature, BatchPolicy policy, Iterator<Item<T>> items,
                Listener listener) {
            this.function = function;
            this.name = name;
            this.outputNames = signature.outputs();
            this.inputCount = signature.inputs().size();
            this.policy = policy;
            this.items = items;
            this.listener = listener;
        }

        @Override
        public boolean hasNext() {
            advance();
            return !window.isEmpty();
        }

        @Override
        public Outcome<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return window.removeFirst().outcome;
        }

        /** Runs batches until the oldest read record has its outcome, or nothing is left. */
        private void advance() {
            while (true) {
                fill();
                if (window.isEmpty() || window.peekFirst().outcome != null) {
                    return;
                }
                Decision d = BatchPlanner.decide(policy, this, 0, true);
                if (!(d instanceof Decision.Send send)) {
                    throw new IllegalStateException("planner decided " + d + " with " + pending.size() + " pending");
                }
                int[] positions = send.positions();
                List<Slot<T>> batch = new ArrayList<>(positions.length);
                for (int p : positions) {
                    batch.add(pending.get(p));
                }
                for (int i = positions.length - 1; i >= 0; i--) {
                    pending.remove(positions[i]);
                }
                run(batch, false);
            }
        }

        private void fill() {
            // the window bound keeps a long run of failed-before-running records from piling up
            while (pending.size() < policy.lookahead() && window.size() < 2 * policy.lookahead() && items.hasNext()) {
                Slot<T> slot = new Slot<>(read++, items.next());
                window.addLast(slot);
                if (slot.item.failure() != null) {
                    slot.outcome = new Outcome<>(slot.item.payload(), null, slot.item.failure());
                } else {
                    pending.add(slot);
                }
            }
        }

        /** Runs {@code batch} in one call, or, if that fails, each half on its own. */
        private void run(List<Slot<T>> batch, boolean retry) {
            int n = batch.size();
            List<List<Object>> inputs = new ArrayList<>(inputCount);
            for (int p = 0; p < inputCount; p++) {
                List<Object> column = new ArrayList<>(n);
                for (Slot<T> s : batch) {
                    column.add(s.item.args()[p]);
                }
                inputs.add(column);
            }
            long start = System.nanoTime();
            Failure failure;
            List<? extends List<?>> outputs = null;
            try {
                outputs = function.apply(inputs, listener);
                failure = checkContract(outputs, n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running function '" + name + "'", e);
            } catch (Exception | LinkageError | AssertionError e) {
                failure = new Failure(Failure.Code.FUNCTION_ERROR, "function '" + name + "' failed: " + describe(e));
            }
            listener.call(n, System.nanoTime() - start, retry);
            if (failure != null && n > 1) {
                run(batch.subList(0, n / 2), true);
                run(batch.subList(n / 2, n), true);
                return;
            }
            for (int i = 0; i < n; i++) {
                Slot<T> s = batch.get(i);
                Object[] values = null;
                if (failure == null) {
                    values = new Object[outputs.size()];
                    for (int o = 0; o < values.length; o++) {
                        values[o] = outputs.get(o).get(i);
                    }
                }
                s.outcome = new Outcome<>(s.item.payload(), values, failure);
            }
        }

        private Failure checkContract(List<? extends List<?>> outputs, int n) {
            String expected = outputNames.size() + " (" + String.join(", ", outputNames) + ")";
            if (outputs == null) {
                return violation("returned null, expected " + expected + " (one list per output)");
            }
            if (outputs.size() != outputNames.size()) {
                return violation("returned " + outputs.size() + " output lists, expected " + expected
                        + " (one list per output)");
            }
            for (int o = 0; o < outputs.size(); o++) {
                List<?> list = outputs.get(o);
                if (list == null || list.size() != n) {
                    return violation("returned " + (list == null ? "null" : list.size() + " values") + " for output '"
                            + outputNames.get(o) + "', expected " + n + " (one per record in the batch)");
                }
            }
            return null;
        }

        private Failure violation(String what) {
            return new Failure(Failure.Code.CONTRACT_VIOLATION, "function '" + name + "' " + what);
        }

        private static String describe(Throwable e) {
            if (e instanceof BatchFunctionException) {
                return e.getMessage();
            }
            String message = e.getMessage();
            String type = e.getClass().getSimpleName();
            return message == null || message.isBlank() ? type : type + ": " + message;
        }

        // Pending, for the planner: the records not yet run, oldest first; all "arrived" at once.

        @Override
        public int size() {
            return pending.size();
        }

        @Override
        public long arrivalNanos(int i) {
            return 0;
        }

        @Override
        public int weight(int i) {
            return pending.get(i).item.weight();
        }
    }
}
