package dev.batchwise.bench;

import java.util.Locale;

/** The load of one point: closed-loop clients, an open-loop rate, or an offline job's. */
public sealed interface Load {

    /** A short label for tables: {@code c=16}, {@code 100/s}. */
    String label();

    /** {@code clients} closed-loop clients, each sending its next record when its previous one returns. */
    record Clients(int clients) implements Load {
        public Clients {
            if (clients < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + clients);
            }
        }

        @Override
        public String label() {
            return "c=" + clients;
        }
    }

    /**
     * An offline job: every record offered at once, as {@code batchwise run} offers a file by default
     * (the queue holds what it can; the rest waits in the reader). The setting to find is the fastest.
     */
    record Offline() implements Load {
        @Override
        public String label() {
            return "offline";
        }
    }

    /** An open loop at {@code perSecond} records/s, with exponential gaps when {@code poisson}. */
    record Rate(double perSecond, boolean poisson) implements Load {
        public Rate {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("a rate must be a positive number of records per second");
            }
        }

        @Override
        public String label() {
            return formatRate(perSecond) + "/s";
        }
    }

    /** A rate as short as it can be written exactly enough: {@code 100}, {@code 12.5}. */
    static String formatRate(double perSecond) {
        if (perSecond == Math.rint(perSecond) && perSecond < 1e15) {
            return Long.toString((long) perSecond);
        }
        return String.format(Locale.ROOT, "%.4g", perSecond).replaceAll("\\.?0+$", "");
    }
}
