package dev.batchwise.pipeline;

import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Where a resumed run starts: the records already written by an earlier run of the same command,
 * which this run reads again but does not run, and a check that the last of them is the record that
 * was written last.
 *
 * @param recordsDone how many records, from the first, are already in the output
 * @param output the file that holds them, for messages
 * @param lastKey checks the key of record {@code recordsDone} against the key written last
 * @param failedDone how many of the records done were written as failed: the exit status of the
 *     finished output counts them
 */
public record ResumePoint(long recordsDone, String output, KeyCheck lastKey, long failedDone) {

    public ResumePoint(long recordsDone, String output, KeyCheck lastKey) {
        this(recordsDone, output, lastKey, 0);
    }

    /** Compares a record's key with the key on the last line of the output. */
    public interface KeyCheck {
        /** @return {@code null} when {@code key} is the key written last, else a message saying how they differ */
        Phrase mismatch(long seq, Object key);
    }

    /** A run from the first record. */
    public static final ResumePoint START = new ResumePoint(0, "", (seq, key) -> null);

    public ResumePoint {
        if (recordsDone < 0) {
            throw new IllegalArgumentException("records done must not be negative");
        }
        Objects.requireNonNull(output);
        Objects.requireNonNull(lastKey);
    }

    /**
     * Reads the records already written from {@code source}, and checks the last one's key.
     *
     * @param key the key of a record, as output lines carry it
     * @param stopping whether a stop was requested: reading ends then
     * @return false when a stop was requested meanwhile
     * @throws ResumeException when the input does not hold the records done, or the last one's key differs
     */
    boolean skipDone(RecordStream source, Function<Record, Object> key, BooleanSupplier stopping)
            throws InputException, ResumeException {
        Record last = null;
        for (long n = 1; n <= recordsDone; n++) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            last = source.next();
            if (last == null) {
                throw new ResumeException(Phrase.of("%s holds %s, but the input has only %s: it is not the input of "
                        + "the run being resumed", output, Human.count(recordsDone, "record"), n - 1));
            }
        }
        if (last != null) {
            Phrase mismatch = lastKey.mismatch(last.seq(), key.apply(last));
            if (mismatch != null) {
                throw new ResumeException(mismatch);
            }
        }
        return true;
    }
}
