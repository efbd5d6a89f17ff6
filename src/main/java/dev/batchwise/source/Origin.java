package dev.batchwise.source;

/**
 * Where a record came from: the input's name as the user gave it ({@code <stdin>} for standard
 * input) and the 1-based line its record starts on. A CSV record with a quoted newline spans
 * several lines; its origin is the first.
 */
public record Origin(String source, long line) {
    @Override
    public String toString() {
        return source + ":" + line;
    }
}
