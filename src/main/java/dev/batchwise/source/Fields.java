package dev.batchwise.source;

import java.util.List;

/** The named values of one input record. */
public interface Fields {

    /**
     * The value of a field: a {@link String} for CSV, TSV and text input, a Jackson
     * {@link com.fasterxml.jackson.databind.JsonNode} for JSONL; {@code null} when absent.
     */
    Object get(String name);

    /** The field names this record has, in input order, for messages. */
    List<String> names();
}
