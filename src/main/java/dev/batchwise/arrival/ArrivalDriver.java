package dev.batchwise.arrival;

import dev.batchwise.time.Clock;

/**
 * Decides when each record arrives: as fast as the queue takes them (burst), when one of N clients
 * is free (closed loop), or on a schedule (open loop). Records that arrive together are admitted
 * together, so a worker sees all of them or none. Runs on the intake's one thread, except
 * {@link #finished}.
 */
public interface ArrivalDriver {

    /** The most records a burst admits in one go. */
    int MAX_CHUNK = 256;

    /**
     * Reads and sends records until the inputs end or a stop; the caller flushes what is left held.
     */
    <X extends Exception> void run(Admissions<X> to) throws X, InterruptedException;

    /** Records finished (written or failed): closed-loop clients may send again. Any thread. */
    default void finished(int records) {}

    /** The driver for {@code spec}; open-loop waits go through {@code clock}. */
    static ArrivalDriver of(ArrivalSpec spec, Clock clock) {
        if (spec instanceof ArrivalSpec.OpenLoop open) {
            return new OpenLoopArrivals(open, clock);
        }
        if (spec instanceof ArrivalSpec.ClosedLoop closed) {
            return new ClosedLoopArrivals(closed.clients(), clock);
        }
        return new BurstArrivals();
    }
}
