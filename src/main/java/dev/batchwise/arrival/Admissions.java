package dev.batchwise.arrival;

/**
 * Where an {@link ArrivalDriver} sends records: the code that reads them and admits them to the
 * queue implements it. Declared here so that the drivers know nothing of what is behind it. Called
 * from the driver's one thread only.
 *
 * @param <X> what reading a record may throw
 */
public interface Admissions<X extends Exception> {

    /** The arrival time of a record that arrives when the queue admits it. */
    long ON_ADMISSION = Long.MIN_VALUE;

    /** Whether the run asked the intake to stop; the driver returns at its next step. Any thread writes it. */
    boolean stopped();

    /**
     * Reads the next record and holds it for {@link #send}; false at the end of the inputs or once
     * stopped.
     */
    boolean read() throws X, InterruptedException;

    /**
     * Sends the record read last into the chunk held for admission.
     *
     * @param arrivalNanos its intended arrival ({@link dev.batchwise.time.Clock} time), from which its
     *     latency counts, or {@link #ON_ADMISSION}
     * @return whether it will take a client's turn: false when it failed before it could be queued
     */
    boolean send(long arrivalNanos) throws InterruptedException;

    /** How many records are held, sent but not yet admitted. */
    int held();

    /** Admits the held records to the queue, waiting for room as needed. */
    void flush() throws InterruptedException;
}
