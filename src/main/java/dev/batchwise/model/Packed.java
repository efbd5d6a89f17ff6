package dev.batchwise.model;

import java.util.List;

/**
 * A batch of tokenized records padded to the longest of them (never to a fixed length), as the flat
 * {@code [batch, tokens]} int64 arrays a model takes: ids and type ids padded with 0, the attention
 * mask 1 for real tokens and 0 for padding.
 */
final class Packed {
    final int batch;
    final int tokens;
    final long[] ids;
    final long[] typeIds;
    final long[] mask;
    /** Each record's own token count. */
    final int[] lengths;

    private Packed(int batch, int tokens) {
        this.batch = batch;
        this.tokens = tokens;
        this.ids = new long[batch * tokens];
        this.typeIds = new long[batch * tokens];
        this.mask = new long[batch * tokens];
        this.lengths = new int[batch];
    }

    static Packed of(List<Tokenized> records) {
        int longest = 1;
        for (Tokenized t : records) {
            longest = Math.max(longest, t.length());
        }
        Packed p = new Packed(records.size(), longest);
        for (int i = 0; i < records.size(); i++) {
            Tokenized t = records.get(i);
            int n = t.length();
            System.arraycopy(t.ids(), 0, p.ids, i * longest, n);
            System.arraycopy(t.typeIds(), 0, p.typeIds, i * longest, n);
            java.util.Arrays.fill(p.mask, i * longest, i * longest + n, 1L);
            p.lengths[i] = n;
        }
        return p;
    }

    /** Tokens as computed on, padding included. */
    long paddedTokens() {
        return (long) batch * tokens;
    }

    long realTokens() {
        long sum = 0;
        for (int n : lengths) {
            sum += n;
        }
        return sum;
    }
}
