package dev.batchwise.bench;

/**
 * One measurement window of a point: how many records finished in it and their p99 latency, and, for
 * a generation point, the output tokens of those records.
 *
 * @param nanos the window's length
 * @param records records that finished within it
 * @param p99Micros the 99th percentile of their end-to-end latency, from the intended arrival
 * @param outputTokens the tokens those records generated; -1 for a point that does not generate
 */
public record Window(long nanos, long records, long p99Micros, long outputTokens) {

    /** A window of a point that does not generate. */
    public Window(long nanos, long records, long p99Micros) {
        this(nanos, records, p99Micros, -1);
    }

    /** Whether the window is of a generation point, whose throughput is counted in output tokens. */
    public boolean generates() {
        return outputTokens >= 0;
    }

    /** What the throughput objective counts, per second: output tokens for a generation point, else records. */
    public double throughputPerSecond() {
        return nanos <= 0 ? 0 : (generates() ? outputTokens : records) / (nanos / 1e9);
    }
}
