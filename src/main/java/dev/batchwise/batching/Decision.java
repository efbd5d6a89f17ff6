package dev.batchwise.batching;

import java.util.Arrays;

/** What a worker should do now, as decided by {@link BatchPlanner}. */
public sealed interface Decision {

    /**
     * Take these items now.
     *
     * @param positions the chosen items' positions in the pending view, ascending; position 0 (the
     *     oldest) is always among them
     */
    record Send(int[] positions) implements Decision {
        public int size() {
            return positions.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Send s && Arrays.equals(positions, s.positions);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(positions);
        }

        @Override
        public String toString() {
            return "Send" + Arrays.toString(positions);
        }
    }

    /**
     * The oldest {@code count} items have waited longer than the queue timeout: take them out, not to
     * be run. Decided before any batch, so an expired item is never sent.
     */
    record Expire(int count) implements Decision {}

    /**
     * Nothing to send yet: wait for more items, but no later than {@code deadlineNanos}, when the
     * oldest item's max delay ends or it expires, whichever comes first.
     */
    record WaitUntil(long deadlineNanos) implements Decision {}

    /** Nothing pending: wait for an arrival. */
    record WaitForArrival() implements Decision {}

    /** Nothing pending and nothing more will arrive. */
    record Finished() implements Decision {}

    Decision WAIT_FOR_ARRIVAL = new WaitForArrival();
    Decision FINISHED = new Finished();
}
