package dev.batchwise.run;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.pipeline.FunctionInstances;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * N loaded function instances, one per worker, that outlive one run: consecutive runs (a sweep over
 * batch sizes, say) reuse them instead of loading a model again. Loads them in parallel, as a run does.
 *
 * <p>Ownership: the pool owns its instances; a run only borrows them. An instance whose worker was
 * still in a call when its run gave up on it (a stop past the grace period) is lost to the pool: it is
 * neither handed out again nor closed under the call. Not thread-safe: one run at a time.
 */
public final class WorkerPool implements AutoCloseable {

    private final BatchFunctionFactory factory;
    private final List<BatchFunction> instances;
    private boolean closed;

    private WorkerPool(BatchFunctionFactory factory, List<BatchFunction> instances) {
        this.factory = factory;
        this.instances = new ArrayList<>(instances);
    }

    /**
     * Loads {@code workers} instances of {@code factory}, in parallel.
     *
     * @throws FunctionStartException when any cannot be made (those made are closed)
     */
    public static WorkerPool load(BatchFunctionFactory factory, int workers)
            throws FunctionStartException, InterruptedException {
        return load(factory, workers, UnaryOperator.identity());
    }

    /**
     * As {@link #load(BatchFunctionFactory, int)}, each instance wrapped by {@code wrap} (a measuring
     * view, say), which the pool then holds: runs use the wrappers, and closing the pool closes them.
     */
    public static WorkerPool load(BatchFunctionFactory factory, int workers, UnaryOperator<BatchFunction> wrap)
            throws FunctionStartException, InterruptedException {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, not " + workers);
        }
        List<BatchFunction> instances = new ArrayList<>();
        for (BatchFunction f : FunctionInstances.load(factory, workers)) {
            instances.add(wrap.apply(f));
        }
        return new WorkerPool(factory, instances);
    }

    public BatchFunctionFactory factory() {
        return factory;
    }

    /** How many instances the pool holds now: a run gets one worker per instance. */
    public int size() {
        return instances.size();
    }

    /** The instances, for one run; hand them back with {@link #returned}. */
    public List<BatchFunction> instances() {
        if (closed) {
            throw new IllegalStateException("the pool is closed");
        }
        return List.copyOf(instances);
    }

    /** A run that borrowed the instances has ended: drops those its workers were left in a call with. */
    public void returned(Pipeline run) {
        instances.removeAll(run.abandoned());
    }

    /**
     * Drops instances a call is stuck in (one that never returned): they are neither handed out
     * again nor closed under the call.
     */
    public void lost(List<? extends BatchFunction> stuck) {
        instances.removeAll(stuck);
    }

    /** Closes the instances; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FunctionInstances.closeAll(instances);
            instances.clear();
        }
    }
}
