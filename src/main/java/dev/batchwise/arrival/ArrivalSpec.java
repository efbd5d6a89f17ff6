package dev.batchwise.arrival;

/** How records arrive at the queue, as requests would at a server. */
public sealed interface ArrivalSpec {

    /** All records as fast as the queue accepts them: the maximum throughput of an offline job. */
    record Burst() implements ArrivalSpec {}

    /**
     * {@code clients} closed-loop clients: each sends its next record when its previous one returns.
     * All of them send their first record at once.
     */
    record ClosedLoop(int clients) implements ArrivalSpec {
        public ClosedLoop {
            if (clients < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
        }
    }

    /**
     * An open loop: records arrive on a schedule, {@code ratePerSecond} on average, whether or not the
     * system keeps up. Latency counts from each record's scheduled time.
     *
     * @param poisson exponential gaps between arrivals (a Poisson process) instead of equal ones
     * @param seed the random seed of the Poisson gaps
     */
    record OpenLoop(double ratePerSecond, boolean poisson, long seed) implements ArrivalSpec {
        public OpenLoop {
            if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
                throw new IllegalArgumentException("rate must be a positive number of records per second");
            }
        }
    }
}
