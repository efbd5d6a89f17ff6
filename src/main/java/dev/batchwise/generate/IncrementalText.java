package dev.batchwise.generate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A record's generated text, decoded as its tokens come, and its stop strings checked on that text.
 *
 * <p>Decoding is incremental in the way vLLM and TGI do it: the text of a new token is what decoding
 * from a few tokens back yields beyond what those tokens alone yield, so byte-level and SentencePiece
 * tokenizers both get their spaces right. While the new text ends in U+FFFD (a character whose bytes
 * are split across tokens and not all here yet), nothing is emitted; the bytes are decoded when the
 * character is whole. At the end, whatever is left is decoded as it is.
 *
 * <p>A stop string ends the generation as soon as the text contains it; the text is cut before it, as
 * OpenAI's API returns it. Owned by one sequence; not thread-safe.
 */
final class IncrementalText {

    /** Prompt tokens kept before the generated ones as context for the first tokens' text (vLLM's 5). */
    static final int CONTEXT = 5;

    private final Function<long[], String> decoder;
    private final List<String> stops;
    private final int longestStop;
    private long[] ids;
    private int count;
    private int prefixOffset;
    private int readOffset;
    private final StringBuilder text = new StringBuilder();
    /** How much of {@link #text} has been searched for stop strings. */
    private int searched;
    private boolean stopped;
    /** Nanoseconds spent decoding, for the profile. */
    private long decodeNanos;

    IncrementalText(Function<long[], String> decoder, int[] prompt, List<String> stops) {
        this.decoder = decoder;
        this.stops = stops;
        this.longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
        int context = Math.min(CONTEXT, prompt.length);
        this.ids = new long[context + 16];
        for (int i = 0; i < context; i++) {
            ids[i] = prompt[prompt.length - context + i];
        }
        this.count = context;
        this.prefixOffset = 0;
        this.readOffset = context;
    }

    /**
     * Adds one generated token.
     *
     * @return whether the text now contains a stop string (it is then cut before it)
     */
    boolean add(int token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[count++] = token;
        emit(false);
        return stopped;
    }

    /** Decodes what is left, if any; the text is then final. */
    void finish() {
        if (!stopped && readOffset < count) {
            emit(true);
        }
    }

    private void emit(boolean last) {
        long start = System.nanoTime();
        String before = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String now = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, count));
        decodeNanos += System.nanoTime() - start;
        if (now.length() > before.length() && (last || !now.endsWith("\uFFFD")) && now.startsWith(before)) {
            text.append(now, before.length(), now.length());
            prefixOffset = readOffset;
            readOffset = count;
            checkStops();
        } else if (now.length() > before.length() && (last || !now.endsWith("\uFFFD"))) {
            // the context decodes differently once followed (rare: a normaliser joining across tokens);
            // take the longest common prefix as settled
            int common = 0;
            while (common < before.length() && before.charAt(common) == now.charAt(common)) {
                common++;
            }
            text.append(now, common, now.length());
            prefixOffset = readOffset;
            readOffset = count;
            checkStops();
        }
    }

    private void checkStops() {
        if (stops.isEmpty()) {
            return;
        }
        int from = Math.max(0, searched - longestStop + 1);
        int cut = -1;
        for (String s : stops) {
            int at = text.indexOf(s, from);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            text.setLength(cut);
            stopped = true;
        }
        searched = text.length();
    }

    boolean stopped() {
        return stopped;
    }

    String text() {
        return text.toString();
    }

    long decodeNanos() {
        return decodeNanos;
    }
}
