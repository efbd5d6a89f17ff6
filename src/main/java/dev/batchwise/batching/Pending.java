package dev.batchwise.batching;

/** A read-only view of the items waiting in the queue, oldest first. */
public interface Pending {

    int size();

    /** When item {@code i} arrived, in {@link dev.batchwise.time.Clock} nanoseconds. */
    long arrivalNanos(int i);

    /** What item {@code i} weighs for {@link BatchPolicy#maxBatchWeight()} and grouping (1 when unweighted). */
    int weight(int i);
}
