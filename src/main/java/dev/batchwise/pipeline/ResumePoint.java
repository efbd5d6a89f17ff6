package dev.batchwise.pipeline;

import java.util.Objects;

/**
 * Where a resumed run starts: the records already written by an earlier run of the same command,
 * which this run reads again but does not run, and a check that the last of them is the record that
 * was written last.
 *
 * @param recordsDone how many records, from the first, are already in the output
 * @param output the file that holds them, for messages
 * @param lastKey checks the key of record {@code recordsDone} against the key written last
 */
public record ResumePoint(long recordsDone, String output, KeyCheck lastKey) {

    /** Compares a record's key with the key on the last line of the output. */
    public interface KeyCheck {
        /** @return {@code null} when {@code key} is the key written last, else a message saying how they differ */
        String mismatch(long seq, Object key);
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
}
