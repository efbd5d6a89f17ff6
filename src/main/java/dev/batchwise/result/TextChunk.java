package dev.batchwise.result;

/**
 * One piece of a record's text that a model ran on separately, with its output: how a function
 * that splits long texts returns every piece. Written as
 * {@code {"index": 0, "start": 0, "end": 812, "embedding": [...]}}.
 *
 * @param index the piece's place in its record, from 0
 * @param start its first character in the record's text, in Unicode code points (Python's
 *     {@code text[start:end]})
 * @param end the character after its last, in code points
 * @param embedding its vector: a {@code float[]}, or an encoded form of it
 */
public record TextChunk(int index, int start, int end, Object embedding) {

    /** The same piece with another form of its vector. */
    public TextChunk withEmbedding(Object other) {
        return new TextChunk(index, start, end, other);
    }
}
