package dev.batchwise.bench;

import dev.batchwise.fn.StepCost;
import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.time.Clock;
import java.util.List;

/**
 * A {@link Metered} instance of a function that runs by steps (a generating decoder): the pipeline
 * still sees a {@link SteppedBatchFunction}, so it runs it with continuous batching, and each step is
 * reported to the current point's meter as one call of the running set's size (so a point's batch
 * sizes are its running sequences), and counts as a call in flight while it runs.
 */
final class MeteredSteps extends Metered implements SteppedBatchFunction {

    private final SteppedBatchFunction delegate;
    private final Steps steps;

    MeteredSteps(SteppedBatchFunction delegate, Clock clock) {
        super(delegate, clock);
        this.delegate = delegate;
        this.steps = new Steps(delegate.stepped(), clock);
    }

    @Override
    public SteppedFunction<Object> stepped() {
        return steps;
    }

    @Override
    public boolean paddedCache() {
        return delegate.paddedCache();
    }

    @Override
    public long outputTokens(List<Object> outputs) {
        return delegate.outputTokens(outputs);
    }

    /** The delegate's stepped form, each step timed and reported. One worker's thread calls it. */
    private final class Steps implements SteppedFunction<Object> {
        private final SteppedFunction<Object> inner;
        private final Clock clock;

        Steps(SteppedFunction<Object> inner, Clock clock) {
            this.inner = inner;
            this.clock = clock;
        }

        @Override
        public StepCost cost(List<Object> args) {
            return inner.cost(args);
        }

        @Override
        public void admit(Object key, List<Object> args) {
            inner.admit(key, args);
        }

        @Override
        public void step() throws Exception {
            int running = inner.running().size();
            enter();
            long start = clock.nanoTime();
            try {
                inner.step();
            } finally {
                PointMeter m = meter;
                if (m != null && running > 0) {
                    m.call(running, clock.nanoTime() - start, 0, 0);
                }
                exit();
            }
        }

        @Override
        public List<Completion<Object>> drain() {
            return inner.drain();
        }

        @Override
        public List<StepCost> running() {
            return inner.running();
        }

        @Override
        public long kvCacheBudgetBytes() {
            return inner.kvCacheBudgetBytes();
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }
    }
}
