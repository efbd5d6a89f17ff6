package dev.batchwise.pipeline;

import dev.batchwise.source.Record;

/**
 * A record bound to the function's inputs, on its way through the queue. Immutable once admitted:
 * {@code arrivalNanos}, the intended arrival time from which latency is measured, is set by the
 * intake before it admits the request (the queue's lock publishes it to the workers).
 */
final class Request {
    final Record record;
    final Object key;
    final Object[] args;
    final int weight;
    /** The values of the {@code --keep} columns, or {@code null} when none are kept. */
    final Object[] kept;
    long arrivalNanos;

    Request(Record record, Object key, Object[] args, int weight) {
        this(record, key, args, weight, null);
    }

    Request(Record record, Object key, Object[] args, int weight, Object[] kept) {
        this.kept = kept;
        this.record = record;
        this.key = key;
        this.args = args;
        this.weight = weight;
    }
}
