package dev.batchwise.source;

import java.util.Locale;

/** The record formats batchwise reads. */
public enum InputFormat {
    /** Comma-separated, RFC 4180 quoting (quotes may enclose commas, quotes and newlines), a header row. */
    CSV,
    /** Tab-separated, no quoting (a field cannot hold a tab or newline), a header row. */
    TSV,
    /** JSON Lines: one JSON object per line; blank lines are skipped. */
    JSONL,
    /** Plain text: one record per line, in the field {@code text}. */
    TEXT;

    /** The format a file name implies, or {@code null} when the name does not say. A {@code .gz} suffix is ignored. */
    public static InputFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) {
            n = n.substring(0, n.length() - 3);
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return TSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
            return JSONL;
        }
        if (n.endsWith(".txt") || n.endsWith(".text")) {
            return TEXT;
        }
        return null;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The lower-case name users type and read, in help, completion and messages. */
    @Override
    public String toString() {
        return label();
    }
}
