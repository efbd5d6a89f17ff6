package dev.batchwise.model;

import java.util.List;

/**
 * One record's text split into pieces that each fit the model, as prepared on the intake thread.
 *
 * @param pieces each piece as the model takes it (prefix and special tokens included)
 * @param starts each piece's first character in the record's text, in code points
 * @param ends each piece's end (exclusive) in the record's text, in code points
 * @param tokenizeNanos how long tokenizing and splitting took
 */
record Chunked(List<Tokenized> pieces, int[] starts, int[] ends, long tokenizeNanos) {

    /** The record's weight for length grouping: all its pieces' tokens. */
    int tokens() {
        int sum = 0;
        for (Tokenized t : pieces) {
            sum += t.length();
        }
        return sum;
    }
}
