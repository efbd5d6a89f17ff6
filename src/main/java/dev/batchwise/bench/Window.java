package dev.batchwise.bench;

/**
 * One measurement window of a point: how many records finished in it and their p99 latency.
 *
 * @param nanos the window's length
 * @param records records that finished within it
 * @param p99Micros the 99th percentile of their end-to-end latency, from the intended arrival
 */
public record Window(long nanos, long records, long p99Micros) {

    public double throughputPerSecond() {
        return nanos <= 0 ? 0 : records / (nanos / 1e9);
    }
}
