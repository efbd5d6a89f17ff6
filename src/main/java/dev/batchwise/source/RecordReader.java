package dev.batchwise.source;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Streams the records of one input, holding at most one record (plus, for CSV, the bounded span of a
 * malformed quoted field) in memory.
 */
public interface RecordReader extends Closeable {

    /**
     * Reads the next record and stamps it with {@code seq}.
     *
     * @return the record, a {@link Record#bad bad record} for a line that cannot be parsed, or
     *     {@code null} at the end of the input
     * @throws IOException when the input itself fails; the message names the input
     */
    Record next(long seq) throws IOException;

    /**
     * The field names, known before the first record: the header for CSV and TSV, {@code text} for
     * text, and for JSONL the fields of the first object. Empty for an empty input.
     */
    List<String> columns() throws IOException;

    /**
     * Whether the next record can be read without waiting for the input, as far as can be told (a
     * record that spans lines may still wait for its last). False means: the caller had better hand
     * on what it holds before it calls {@link #next}, which may block on a pipe for a long time.
     */
    boolean ready();

    /** The line {@link #columns()} were read from, or 0 when they do not come from a line (text, an empty input). */
    default long columnsLine() throws IOException {
        return 0;
    }

    /**
     * Once the input is read to its end: a one-line note of what it passed over that the user may
     * have meant as records (files in a directory that are not images), or {@code null}.
     */
    default String endNote() {
        return null;
    }
}
