package dev.batchwise.options;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.run.RunSpec;
import picocli.CommandLine.Option;

/**
 * How records arrive at the queue: {@code run} alone; {@code bench} sweeps lists of loads instead, and
 * takes the {@link Seed}.
 */
@Refused(spark = "a partition's records are all at hand: the job runs them as they come, as fast as the function "
        + "takes them (run's burst arrival)")
public final class ArrivalOptions implements SpecOptions {

    @Option(names = "--arrival", paramLabel = "MODE", completionCandidates = Candidates.Arrivals.class,
            description = """
                    burst (default): every record as fast as the queue accepts it. constant or poisson: an open loop \
                    at --rate, with equal or exponential gaps.""")
    @Refused(bench = "bench sweeps the gaps of its --rate lists: --arrival poisson or constant")
    String mode;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N",
            description = """
                    N closed-loop clients: each sends its next record when its previous one returns.""")
    @Refused(bench = "bench sweeps a list of client counts: -c LIST")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = """
                    Open loop: records arrive at this rate whether or not the system keeps up; latency counts from \
                    each record's scheduled time.""")
    @Refused(bench = "bench sweeps a list of rates, or searches for the largest: --rate LIST|auto")
    Double rate;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        spec.arrival.concurrency = concurrency;
        spec.arrival.rate = rate;
        spec.arrival.mode = mode == null ? null : Values.choice("arrival", mode, ArrivalSpec.Mode.class,
                " (closed-loop clients: {concurrency} N)");
    }

    /** The seed of Poisson arrivals: {@code run} and {@code bench}. */
    @Refused(spark = "a partition's records are all at hand: the job runs them as they come, with no Poisson gaps to "
            + "seed")
    public static final class Seed implements SpecOptions {
        @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
                description = """
                        Seed of the Poisson arrival gaps (in bench, also of the random order records are drawn in), \
                        and of generate's sampling (with each record's position). Default: ${DEFAULT-VALUE}.""")
        long seed;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.arrival.seed = seed;
            spec.generation.seed = seed;
        }
    }
}
