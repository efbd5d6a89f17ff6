package dev.batchwise.source;

/**
 * How to read inputs.
 *
 * @param maxRecordBytes the longest line (and, for CSV, the longest record) accepted; a longer one
 *     becomes a bad record, skipped without being held in memory
 * @param header whether CSV and TSV inputs start with a header row; without one, columns are named
 *     by their 1-based position: {@code 1}, {@code 2}, ...
 * @param raggedRows whether CSV and TSV rows may have fewer or more fields than the header; missing
 *     fields are then absent and extra ones ignored. Off, such a row is a bad record.
 */
public record ReaderOptions(int maxRecordBytes, boolean header, boolean raggedRows) {

    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    public static ReaderOptions defaults() {
        return new ReaderOptions(DEFAULT_MAX_RECORD_BYTES, true, false);
    }

    public ReaderOptions {
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
    }
}
