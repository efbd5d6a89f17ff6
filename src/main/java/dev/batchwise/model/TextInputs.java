package dev.batchwise.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a record's text into model inputs: the prefix put before it, a text pair tokenized as one
 * input (for cross-encoders), and with chunking, a long text split on token boundaries into pieces
 * that each get the prefix and the special tokens.
 *
 * <p>A piece ends and the next one starts where a word starts (a token whose pre-tokenizer word
 * differs from the previous token's), unless a single word is longer than a piece: each piece is
 * then exactly what tokenizing its own text gives, so embedding the pieces as separate records gives
 * the same vectors. Pieces are tokenized again from their text with the prefix, so that the prefix
 * and the special tokens are the model's own template.
 *
 * <p>Thread-safety: the tokenizers take concurrent calls; this object is immutable.
 */
final class TextInputs {

    private final HuggingFaceTokenizer truncating;
    /** Tokenizes whole texts, without special tokens, to find where pieces start and end; or {@code null}. */
    private final HuggingFaceTokenizer whole;
    private final String prefix;
    private final Chunking chunking;
    /** Text tokens per piece, resolved from the chunking and the model's max length. */
    private final int pieceTokens;

    TextInputs(HuggingFaceTokenizer truncating, HuggingFaceTokenizer whole, String prefix, Chunking chunking,
            int maxLength) {
        this.truncating = truncating;
        this.whole = whole;
        this.prefix = prefix;
        this.chunking = chunking;
        if (chunking.enabled()) {
            int specials = truncating.encode("", true, false).getIds().length;
            int prefixTokens = prefix.isEmpty() ? 0 : whole.encode(prefix, false, false).getIds().length;
            int room = maxLength - specials - prefixTokens;
            if (room < 1) {
                throw new IllegalArgumentException("no room for text in a chunk: the model's max length of " + maxLength
                        + " tokens is taken by " + specials + " special tokens and the prefix's " + prefixTokens);
            }
            if (chunking.tokens() > room) {
                throw new IllegalArgumentException("chunks of " + chunking.tokens() + " tokens do not fit the model's max "
                        + "length of " + maxLength + " tokens with " + specials + " special tokens and the prefix's "
                        + prefixTokens + "; at most " + room);
            }
            int tokens = chunking.tokens() == 0 ? room : chunking.tokens();
            if (chunking.overlapTokens() >= tokens) {
                throw new IllegalArgumentException("the chunk overlap (" + chunking.overlapTokens() + " tokens) must be "
                        + "less than the chunk size (" + tokens + " tokens)");
            }
            this.pieceTokens = tokens;
        } else {
            this.pieceTokens = 0;
        }
    }

    String prefix() {
        return prefix;
    }

    /** Text tokens per piece, or 0 without chunking. */
    int pieceTokens() {
        return pieceTokens;
    }

    /** One model input: the prefix and the text, truncated to the max length. */
    Tokenized single(String text) {
        long start = System.nanoTime();
        Encoding e = truncating.encode(prefix.isEmpty() ? text : prefix + text);
        return new Tokenized(e.getIds(), e.getTypeIds(), e.exceedMaxLength(), System.nanoTime() - start);
    }

    /** A text pair as one model input (the tokenizer's pair template), the longer side cut first. */
    Tokenized pair(String text, String pair) {
        long start = System.nanoTime();
        Encoding e = truncating.encode(prefix.isEmpty() ? text : prefix + text, pair);
        return new Tokenized(e.getIds(), e.getTypeIds(), e.exceedMaxLength(), System.nanoTime() - start);
    }

    /** A text in pieces of at most {@link #pieceTokens} text tokens (one piece when it fits). */
    Chunked chunks(String text) {
        long start = System.nanoTime();
        Encoding e = whole.encode(text, false, false);
        int n = e.getIds().length;
        List<int[]> bounds = bounds(e, n);
        List<Tokenized> pieces = new ArrayList<>(bounds.size());
        int[] starts = new int[bounds.size()];
        int[] ends = new int[bounds.size()];
        CharSpan[] spans = e.getCharTokenSpans();
        int codePoints = text.codePointCount(0, text.length());
        for (int i = 0; i < bounds.size(); i++) {
            int[] b = bounds.get(i);
            // a single piece is the whole text; more start at their first token and end after their last
            starts[i] = bounds.size() == 1 || n == 0 ? 0 : spans[b[0]].getStart();
            ends[i] = bounds.size() == 1 || n == 0 ? codePoints : spans[b[1] - 1].getEnd();
            String piece = text.substring(text.offsetByCodePoints(0, starts[i]), text.offsetByCodePoints(0, ends[i]));
            Tokenized t = single(piece);
            pieces.add(new Tokenized(t.ids(), t.typeIds(), false, 0));
        }
        return new Chunked(pieces, starts, ends, System.nanoTime() - start);
    }

    /** Token ranges {@code [from, to)} of the pieces. */
    private List<int[]> bounds(Encoding e, int n) {
        List<int[]> bounds = new ArrayList<>();
        if (n <= pieceTokens) {
            bounds.add(new int[] {0, n});
            return bounds;
        }
        long[] words = e.getWordIds();
        int from = 0;
        while (true) {
            int to = Math.min(from + pieceTokens, n);
            if (to < n) {
                int back = to;
                while (back > from && !wordStart(words, back)) {
                    back--;
                }
                if (back > from) {
                    to = back;
                }
            }
            bounds.add(new int[] {from, to});
            if (to == n) {
                return bounds;
            }
            int next = Math.max(to - chunking.overlapTokens(), from + 1);
            int s = next;
            while (s > from + 1 && !wordStart(words, s)) {
                s--;
            }
            if (!wordStart(words, s)) {
                s = next;
                while (s < to && !wordStart(words, s)) {
                    s++;
                }
            }
            from = s;
        }
    }

    private static boolean wordStart(long[] words, int i) {
        return i == 0 || words[i] != words[i - 1] || words[i] < 0;
    }
}
