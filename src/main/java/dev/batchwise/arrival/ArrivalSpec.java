package dev.batchwise.arrival;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.util.Locale;

/** How records arrive at the queue, as requests would at a server. Part of a run spec. */
public sealed interface ArrivalSpec {

    /** The most closed-loop clients: the reorder window, allocated when a run starts, grows with them. */
    int MAX_CLIENTS = 100_000;

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

    /** The gaps between arrivals, as asked for: all at once, or an open loop's equal or exponential gaps. */
    enum Mode {
        BURST, CONSTANT, POISSON;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    static Builder builder() {
        return new Builder();
    }

    /**
     * The settings as given, each field starting at its default; {@link #build()} checks how they go
     * together and makes the spec. Not thread-safe.
     */
    final class Builder {
        /** The mode, or {@code null} for the one the other settings imply. */
        public Mode mode;
        /** Closed-loop clients, or {@code null} for none. */
        public Integer concurrency;
        /** An open loop's records per second, or {@code null} for none. */
        public Double rate;
        /** The seed of Poisson gaps. */
        public long seed = 1;

        private Builder() {}

        /** @throws SettingException for settings that do not go together */
        public ArrivalSpec build() {
            if (concurrency != null) {
                SettingException.inRange("concurrency", concurrency, 1, MAX_CLIENTS);
            }
            if (concurrency != null && rate != null) {
                throw new SettingException("concurrency", Phrase.of("{concurrency} (closed loop) and {rate} (open "
                        + "loop) exclude each other: pick one"));
            }
            if (concurrency != null) {
                if (mode != null) {
                    throw new SettingException("arrival", Phrase.of("{arrival} %s does not go with {concurrency}: N "
                            + "closed-loop clients send as their previous records return", mode));
                }
                return new ClosedLoop(concurrency);
            }
            if (rate != null) {
                if (mode == Mode.BURST) {
                    throw new SettingException("arrival", Phrase.of("{arrival} burst does not go with {rate}: use "
                            + "{arrival} constant or poisson"));
                }
                if (!(rate > 0) || rate.isInfinite()) {
                    throw new SettingException("rate", Phrase.text("rate must be a positive number of records per "
                            + "second"));
                }
                return new OpenLoop(rate, mode == Mode.POISSON, seed);
            }
            if (mode == Mode.CONSTANT || mode == Mode.POISSON) {
                throw new SettingException("arrival", Phrase.of("{arrival} %s needs {rate} PER_SECOND", mode));
            }
            return new Burst();
        }
    }
}
