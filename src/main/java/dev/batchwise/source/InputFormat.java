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
    TEXT,
    /**
     * An OpenAI Batch API input file: JSON Lines of requests, each record's one field
     * {@link BatchLine#FIELD} holding the whole line. Never implied by a file name: detected from the
     * first record by the run, or given.
     */
    OPENAI_BATCH;

    @Override
    public List<String> suffixes() {
        return switch (this) {
            case CSV -> List.of(".csv");
            case TSV -> List.of(".tsv", ".tab");
            case JSONL -> List.of(".jsonl", ".ndjson", ".json");
            case TEXT -> List.of(".txt", ".text");
            case OPENAI_BATCH -> List.of();
        };
    }

    /** The format a file name implies, or {@code null} when the name does not say. A {@code .gz} suffix is ignored. */
    public static InputFormat fromFileName(String name) {
        return FileFormat.fromFileName(name, values(), true);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String label() {
        return this == OPENAI_BATCH ? "openai-batch" : FileFormat.super.label();
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
