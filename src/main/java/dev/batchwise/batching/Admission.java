package dev.batchwise.batching;

/** The answer to an offer: backpressure is a value, not an exception. */
public enum Admission {
    ACCEPTED,
    /** Not enough room; nothing was admitted. Offer again once there is room. */
    FULL,
    /** The queue takes no more items. */
    CLOSED
}
