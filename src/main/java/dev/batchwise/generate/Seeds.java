package dev.batchwise.generate;

/**
 * Seeds of the records' random generators. A record's generator depends only on the run's seed and
 * the record's identity (its position in the input), or on the record's own {@code seed} field:
 * never on its batch-mates, its worker or the order in which records ran.
 */
public final class Seeds {

    private Seeds() {}

    /** The seed of the record at {@code recordIndex} (0-based position in the input) in a run seeded {@code runSeed}. */
    public static long forRecord(long runSeed, long recordIndex) {
        return SplitMix64.mix(SplitMix64.mix(runSeed) ^ SplitMix64.mix(recordIndex + 0x632BE59BD9B4E019L));
    }

    /** The seed of a record that gave its own {@code seed} field: the same for that value in any run. */
    public static long forRecordSeed(long recordSeed) {
        return SplitMix64.mix(recordSeed ^ 0x3C6EF372FE94F82BL);
    }
}
