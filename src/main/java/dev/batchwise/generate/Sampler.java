package dev.batchwise.generate;

import java.util.Arrays;

/**
 * Picks the next token from one row of logits: the most likely one at temperature 0, else a draw
 * from the record's own generator after temperature, top-k and top-p, in the order Hugging Face's
 * generate applies them. One per engine: its scratch arrays are reused across rows.
 */
final class Sampler {

    private long[] order = new long[0];
    private double[] weights = new double[0];

    /** The index of the largest of the first {@code vocab} logits, the first one on a tie. */
    static int argmax(float[] logits, int vocab) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits[i];
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    }

    int pick(float[] logits, int vocab, SamplingParams p, SplitMix64 rng) {
        if (p.greedy()) {
            return argmax(logits, vocab);
        }
        double invT = 1.0 / p.temperature();
        float max = logits[argmax(logits, vocab)];
        if (p.topK() == 0 && p.topP() >= 1) {
            // the whole vocabulary, in index order
            double total = 0;
            if (weights.length < vocab) {
                weights = new double[vocab];
            }
            for (int i = 0; i < vocab; i++) {
                double w = Math.exp((logits[i] - max) * invT);
                weights[i] = w;
                total += w;
            }
            double u = rng.nextDouble() * total;
            double acc = 0;
            for (int i = 0; i < vocab; i++) {
                acc += weights[i];
                if (u < acc) {
                    return i;
                }
            }
            return argmax(logits, vocab);
        }
        // candidates sorted by logit, largest first, ties by index
        if (order.length < vocab) {
            order = new long[vocab];
            weights = new double[vocab];
        }
        for (int i = 0; i < vocab; i++) {
            order[i] = ((long) descending(logits[i]) << 32) | i;
        }
        Arrays.sort(order, 0, vocab);
        int keep = vocab;
        if (p.topK() > 0 && p.topK() < vocab) {
            float kth = logits[(int) order[p.topK() - 1]];
            keep = p.topK();
            while (keep < vocab && logits[(int) order[keep]] == kth) {
                keep++; // ties with the k-th are kept, as Hugging Face's TopKLogitsWarper keeps them
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            double w = Math.exp((logits[(int) order[i]] - max) * invT);
            weights[i] = w;
            total += w;
        }
        if (p.topP() < 1) {
            double acc = 0;
            int n = 0;
            while (n < keep) {
                acc += weights[n++];
                if (acc / total >= p.topP()) {
                    break;
                }
            }
            keep = n;
            total = acc;
        }
        double u = rng.nextDouble() * total;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += weights[i];
            if (u < acc) {
                return (int) order[i];
            }
        }
        return (int) order[keep - 1];
    }

    /** An int that sorts ascending as the float sorts descending. */
    private static int descending(float v) {
        int bits = Float.floatToIntBits(v);
        int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
        return ~ascending;
    }
}
