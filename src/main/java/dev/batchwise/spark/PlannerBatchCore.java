package dev.batchwise.spark;

import dev.batchwise.batching.BatchPlanner;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.batching.Decision;
import dev.batchwise.batching.Pending;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionException;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.result.Failure;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public <T> Run<T> run(BatchFunctionFactory factory, BatchPolicy policy, Iterator<Item<T>> items, Totals totals)
            throws Exception {
        return new PlannedRun<>(factory, factory.create(), policy, items, totals);
    }

    private static final class Slot<T> {
        final Item<T> item;
        Object[] args;
        int weight = 1;
        Outcome<T> outcome;

        Slot(Item<T> item) {
            this.item = item;
        }
    }

    /**
     * One partition's run. Invariants: {@code window} holds the read slots not yet emitted, in read
     * order, at most twice {@code lookahead}; {@code pending} those of them not yet run, in read
     * order, at most {@code lookahead}.
     */
    private static final class PlannedRun<T> implements Run<T>, Pending, CallMetrics {
        private final BatchFunction function;
        private final String name;
        private final Signature signature;
        private final List<String> outputNames;
        private final int inputCount;
        private final RecordPreparer preparer;
        private final BatchPolicy policy;
        private final Iterator<Item<T>> items;
        private final Totals totals;
        private final ArrayDeque<Slot<T>> window = new ArrayDeque<>();
        private final List<Slot<T>> pending = new ArrayList<>();
        private long records;
        private long failed;
        private long batches;
        private long batchedRecords;
        private long retryCalls;
        private long computeNanos;
        private long modelNanos;
        private long realTokens;
        private long paddedTokens;
        private boolean reported;
        private boolean closed;

        PlannedRun(BatchFunctionFactory factory, BatchFunction function, BatchPolicy policy, Iterator<Item<T>> items,
                Totals totals) {
            this.function = function;
            this.name = factory.name();
            this.signature = factory.signature();
            this.outputNames = signature.outputs();
            this.inputCount = signature.inputs().size();
            this.preparer = factory instanceof RecordPreparer p ? p : null;
            this.policy = policy;
            this.items = items;
            this.totals = totals;
        }

        @Override
        public boolean hasNext() {
            advance();
            if (window.isEmpty() && !reported) {
                reported = true;
                totals.add(new Summary(records, failed, batches, batchedRecords, retryCalls, computeNanos, modelNanos,
                        realTokens, paddedTokens));
            }
            return !window.isEmpty();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    function.close();
                } catch (Exception ignored) {
                    // the run is over; a close failure has nowhere to go and loses no result
                }
            }
        }

        @Override
        public Outcome<T> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Outcome<T> outcome = window.removeFirst().outcome;
            records++;
            if (outcome.failure() != null) {
                failed++;
            }
            return outcome;
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
                Slot<T> slot = new Slot<>(items.next());
                window.addLast(slot);
                Failure bad = slot.item.failure() != null ? slot.item.failure() : bind(slot);
                if (bad != null) {
                    slot.outcome = new Outcome<>(slot.item.payload(), null, bad);
                } else {
                    pending.add(slot);
                }
            }
        }

        /** Converts the slot's fields to the parameters' types and prepares them; the failure, or null. */
        private Failure bind(Slot<T> slot) {
            Object[] args = new Object[inputCount];
            for (int i = 0; i < inputCount; i++) {
                Param param = signature.inputs().get(i);
                Object raw = slot.item.fields().get(param.name());
                if (raw == null) {
                    return new Failure(Failure.Code.BAD_INPUT, "no value for input '" + param.name() + "' of function '"
                            + name + "'");
                }
                try {
                    args[i] = param.type().convert(raw instanceof String || raw instanceof JsonNode ? raw
                            : JSON.valueToTree(raw));
                } catch (IllegalArgumentException e) {
                    return new Failure(Failure.Code.BAD_INPUT, e.getMessage() + " (input '" + param.name()
                            + "' of function '" + name + "')");
                }
            }
            if (preparer != null) {
                try {
                    slot.weight = Math.max(1, preparer.prepare(args));
                } catch (IllegalArgumentException e) {
                    return new Failure(Failure.Code.BAD_INPUT, e.getMessage());
                }
            }
            slot.args = args;
            return null;
        }

        /** Runs {@code batch} in one call, or, if that fails, each half on its own. */
        private void run(List<Slot<T>> batch, boolean retry) {
            int n = batch.size();
            List<List<Object>> inputs = new ArrayList<>(inputCount);
            for (int p = 0; p < inputCount; p++) {
                List<Object> column = new ArrayList<>(n);
                for (Slot<T> s : batch) {
                    column.add(s.args[p]);
                }
                inputs.add(column);
            }
            long start = System.nanoTime();
            Failure failure;
            List<? extends List<?>> outputs = null;
            try {
                outputs = function.apply(inputs, this);
                failure = checkContract(outputs, n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running function '" + name + "'", e);
            } catch (Exception | LinkageError | AssertionError e) {
                failure = new Failure(Failure.Code.FUNCTION_ERROR, "function '" + name + "' failed: " + describe(e));
            }
            computeNanos += System.nanoTime() - start;
            if (retry) {
                retryCalls++;
            } else {
                batches++;
                batchedRecords += n;
            }
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

        // CallMetrics, for the function: its phases and tokens.

        @Override
        public void phase(String phase, long nanos) {
            if (phase.equals("model")) {
                modelNanos += nanos;
            }
        }

        @Override
        public void tokens(long real, long padded) {
            realTokens += real;
            paddedTokens += padded;
        }

        @Override
        public void truncated(int n) {}

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
            return pending.get(i).weight;
        }
    }
}
