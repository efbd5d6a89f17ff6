package dev.batchwise.arrival;

import dev.batchwise.time.Clock;

/**
 * Records on a schedule whether or not the system keeps up. Each arrives at its scheduled time, and
 * its latency counts from then even when the intake was held back (a full queue) and admits it late:
 * the schedule's slip is part of the latency, not hidden from it.
 */
final class OpenLoopArrivals implements ArrivalDriver {

    private final OpenLoopSchedule schedule;
    private final Clock clock;

    OpenLoopArrivals(ArrivalSpec.OpenLoop spec, Clock clock) {
        this.schedule = new OpenLoopSchedule(spec);
        this.clock = clock;
    }

    @Override
    public <X extends Exception> void run(Admissions<X> to) throws X, InterruptedException {
        long start = clock.nanoTime();
        while (!to.stopped() && to.read()) {
            long due = start + schedule.nextOffsetNanos();
            if (due - clock.nanoTime() > 0) {
                to.flush();
                clock.sleepUntil(due);
            }
            to.send(due);
            if (to.held() >= MAX_CHUNK) {
                to.flush();
            }
        }
    }
}
