package dev.batchwise.generate;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.List;

/**
 * Fills a step's input buffers, in one of two layouts. With the export's own attention (no lengths
 * buffer): left padding, masked by {@code attention_mask}, positions the cumulative sum of the mask
 * minus one (1 at padded positions), as transformers.js feeds Optimum exports. With the attention that
 * reads the cache in place (a lengths buffer): right padding and each row's length instead of a mask.
 */
final class StepInputs {

    private StepInputs() {}

    /**
     * A prefill of {@code group}'s prompts, padded to {@code len} tokens.
     *
     * @param lengths each row's length minus one, or null for the masked layout
     * @param logitsAt where each row's logits are computed, for a model that computes them at one position
     *     (each prompt's last, right-padded), else null
     * @return the prompt tokens (padding left out)
     */
    static long prefill(List<Sequence> group, int len, int padId, LongBuffer ids, LongBuffer mask, LongBuffer pos,
            IntBuffer lengths, LongBuffer logitsAt) {
        long tokens = 0;
        for (int r = 0; r < group.size(); r++) {
            int[] p = group.get(r).prompt;
            if (lengths != null) {
                for (int i = 0; i < len; i++) {
                    ids.put(r * len + i, i < p.length ? p[i] : padId);
                    pos.put(r * len + i, i < p.length ? i : 0);
                }
                lengths.put(r, p.length - 1);
                if (logitsAt != null) {
                    logitsAt.put(r, p.length - 1);
                }
            } else {
                int pad = len - p.length;
                for (int i = 0; i < len; i++) {
                    boolean real = i >= pad;
                    ids.put(r * len + i, real ? p[i - pad] : padId);
                    mask.put(r * len + i, real ? 1 : 0);
                    pos.put(r * len + i, real ? i - pad : 1);
                }
            }
            tokens += p.length;
        }
        return tokens;
    }

    /**
     * A decoding step of every row: its last token at its next position.
     *
     * @param past the positions of the past tensors (padding included) in the masked layout
     * @param lengths each row's cached tokens, or null for the masked layout
     * @param logitsAt for a model that computes logits at one position: 0 for every row (its one new
     *     token), else null
     * @return the positions the rows attend to (their own, padding left out)
     */
    static long decode(List<Sequence> rows, int past, LongBuffer ids, LongBuffer mask, LongBuffer pos,
            IntBuffer lengths, LongBuffer logitsAt) {
        int total = past + 1;
        long real = 0;
        for (int r = 0; r < rows.size(); r++) {
            Sequence s = rows.get(r);
            ids.put(r, s.last());
            pos.put(r, s.cached);
            real += s.cached + 1;
            if (logitsAt != null) {
                logitsAt.put(r, 0);
            }
            if (lengths != null) {
                lengths.put(r, s.cached);
                continue;
            }
            int pad = past - s.cached;
            for (int i = 0; i < total; i++) {
                mask.put(r * total + i, i >= pad ? 1 : 0);
            }
        }
        return real;
    }
}
