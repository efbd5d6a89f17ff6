package dev.batchwise.source;

import dev.batchwise.util.FileFormat;
import java.util.List;

/** The record formats batchwise reads. */
public enum InputFormat implements FileFormat {
    /** Comma-separated, RFC 4180 quoting (quotes may enclose commas, quotes and newlines), a header row. */
    CSV,
    /** Tab-separated, no quoting (a field cannot hold a tab or newline), a header row. */
    TSV,
    /** JSON Lines: one JSON object per line; blank lines are skipped. */
    JSONL,
    /** Plain text: one record per line, in the field {@code text}. */
    TEXT;

    @Override
    public List<String> suffixes() {
        return switch (this) {
            case CSV -> List.of(".csv");
            case TSV -> List.of(".tsv", ".tab");
            case JSONL -> List.of(".jsonl", ".ndjson", ".json");
            case TEXT -> List.of(".txt", ".text");
        };
    }

    /** The format a file name implies, or {@code null} when the name does not say. A {@code .gz} suffix is ignored. */
    public static InputFormat fromFileName(String name) {
        return FileFormat.fromFileName(name, values(), true);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
