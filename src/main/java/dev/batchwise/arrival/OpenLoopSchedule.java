package dev.batchwise.arrival;

import java.util.SplittableRandom;

/**
 * The arrival times of an open loop, as offsets from the start: constant gaps of 1/rate, or
 * exponential gaps with mean 1/rate from a seeded generator (a Poisson process). Pure: the same
 * spec gives the same schedule.
 */
public final class OpenLoopSchedule {

    private final double meanGapNanos;
    private final SplittableRandom random;
    private double offsetNanos;
    private long count;

    public OpenLoopSchedule(ArrivalSpec.OpenLoop spec) {
        this.meanGapNanos = 1e9 / spec.ratePerSecond();
        this.random = spec.poisson() ? new SplittableRandom(spec.seed()) : null;
    }

    /** The offset of the next arrival from the start; the first arrives at 0. */
    public long nextOffsetNanos() {
        long result;
        if (random == null) {
            result = Math.round(count * meanGapNanos);
        } else {
            result = Math.round(offsetNanos);
            offsetNanos += -Math.log(1.0 - random.nextDouble()) * meanGapNanos;
        }
        count++;
        return result;
    }
}
