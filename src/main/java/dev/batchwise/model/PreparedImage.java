package dev.batchwise.model;

/**
 * One record's image as prepared on the intake thread: the model's input values, channels last
 * ({@code height x width x 3}; a worker lays them out as its model wants while stacking a batch),
 * and what preparing it cost.
 *
 * @param values owned by this record until its batch is stacked
 */
record PreparedImage(float[] values, long decodeNanos, long preprocessNanos) {}
