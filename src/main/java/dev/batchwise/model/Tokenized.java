package dev.batchwise.model;

/**
 * One record's text as token ids, unpadded: the form a text model's records take once prepared on
 * the intake thread.
 *
 * @param ids token ids, special tokens included, at most the max length
 * @param typeIds token type ids, as long as {@code ids}
 * @param truncated whether the text had more tokens than the max length and was cut
 * @param tokenizeNanos how long tokenizing took
 */
public record Tokenized(long[] ids, long[] typeIds, boolean truncated, long tokenizeNanos) {

    public int length() {
        return ids.length;
    }
}
