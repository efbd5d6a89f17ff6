package dev.batchwise.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The running set's KV cache, in the shape an Optimum decoder takes it: per layer, a key and a value
 * tensor [rows, kvHeads, length, headDim], every row right-aligned (its tokens in the last positions,
 * padding before them, masked by the attention mask).
 *
 * <p>The cache lives in two sides of direct buffers that ONNX Runtime reads and writes in place. At a
 * step, the past goes in from one side and the model writes its present (past and new tokens) into the
 * other, as a pinned output; the sides then swap, so while the running set is unchanged no byte of the
 * cache is copied in Java. Only when rows join or leave is the cache laid out again ({@link #rebuild}),
 * into the free side. A third set of buffers takes the presents of a prefill.
 *
 * <p>Owned by one engine, used from its thread only. Buffers grow when a shape needs more and never
 * shrink; {@link #capacityBytes()} says what they hold.
 */
final class KvCache {

    private final OrtEnvironment env;
    private final int tensors;
    private final int kvHeads;
    private final int headDim;
    /** [side][tensor]: sides 0 and 1 hold the running set, side 2 a prefill's presents. */
    private final FloatBuffer[][] sides;
    private int pastSide;
    private int rows;
    private int length;
    /** Floats copied by the last rebuild, for the profile. */
    private long copiedFloats;

    KvCache(OrtEnvironment env, int layers, int kvHeads, int headDim) {
        this.env = env;
        this.tensors = 2 * layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.sides = new FloatBuffer[3][tensors];
    }

    int rows() {
        return rows;
    }

    /** Positions in the past tensors, padding included. */
    int length() {
        return length;
    }

    private long floats(int r, int len) {
        return (long) r * kvHeads * len * headDim;
    }

    private FloatBuffer buffer(int side, int tensor, long floats) {
        FloatBuffer b = sides[side][tensor];
        if (b == null || b.capacity() < floats) {
            long grown = Math.max(floats, b == null ? 0 : b.capacity() + b.capacity() / 2);
            if (grown * Float.BYTES > Integer.MAX_VALUE) {
                grown = Math.max(floats, (Integer.MAX_VALUE / Float.BYTES) & ~63L);
                if (floats * Float.BYTES > Integer.MAX_VALUE) {
                    throw new IllegalStateException("a KV cache tensor of " + floats * Float.BYTES
                            + " bytes is more than one buffer holds (2 GiB); lower the max batch size");
                }
            }
            b = ByteBuffer.allocateDirect((int) (grown * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
            sides[side][tensor] = b;
        }
        return b;
    }

    private OnnxTensor view(int side, int tensor, int r, int len) throws OrtException {
        long n = floats(r, len);
        FloatBuffer b = buffer(side, tensor, n).duplicate();
        b.clear().limit((int) n);
        return OnnxTensor.createTensor(env, b.slice(), new long[] {r, kvHeads, len, headDim});
    }

    /** The past tensors for a decoding step, in input order (layer 0 key, layer 0 value, ...). */
    OnnxTensor[] past() throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors];
        for (int t = 0; t < tensors; t++) {
            out[t] = view(pastSide, t, rows, length);
        }
        return out;
    }

    /** The tensors the step's presents are written into: the past plus {@code newTokens} positions. */
    OnnxTensor[] present(int newTokens) throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors];
        for (int t = 0; t < tensors; t++) {
            out[t] = view(1 - pastSide, t, rows, length + newTokens);
        }
        return out;
    }

    /** After a step: what was written as the present is now the past. */
    void advance(int newTokens) {
        pastSide = 1 - pastSide;
        length += newTokens;
    }

    /** Empty past tensors [rows, kvHeads, 0, headDim] for a prefill, as transformers.js feeds them. */
    OnnxTensor[] emptyPast(int prefillRows) throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors];
        for (int t = 0; t < tensors; t++) {
            out[t] = view(2, t, prefillRows, 0);
        }
        return out;
    }

    /** The tensors a prefill's presents are written into: [rows, kvHeads, tokens, headDim]. */
    OnnxTensor[] prefillPresent(int prefillRows, int tokens) throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors];
        for (int t = 0; t < tensors; t++) {
            out[t] = view(2, t, prefillRows, tokens);
        }
        return out;
    }

    /**
     * Where one row of the new layout comes from.
     *
     * @param fromPrefill the prefill buffers, else the running set's past
     * @param row the row there
     * @param sourceLength the length of the tensors there (padding included)
     * @param tokens the row's own tokens, right-aligned there
     */
    record Source(boolean fromPrefill, int row, int sourceLength, int tokens) {}

    /**
     * Lays the cache out again for a new running set, padded to its longest row: each row's tokens are
     * copied, right-aligned, into the free side, which then holds the past.
     */
    void rebuild(List<Source> layout) {
        int newRows = layout.size();
        int newLength = 0;
        for (Source s : layout) {
            newLength = Math.max(newLength, s.tokens());
        }
        int target = 1 - pastSide;
        int block = headDim;
        copiedFloats = 0;
        for (int t = 0; t < tensors; t++) {
            FloatBuffer dst = buffer(target, t, floats(newRows, newLength));
            for (int r = 0; r < newRows; r++) {
                Source s = layout.get(r);
                FloatBuffer src = s.fromPrefill() ? sides[2][t] : sides[pastSide][t];
                int n = s.tokens() * block;
                for (int h = 0; h < kvHeads; h++) {
                    int from = ((s.row() * kvHeads + h) * s.sourceLength() + s.sourceLength() - s.tokens()) * block;
                    int to = ((r * kvHeads + h) * newLength + newLength - s.tokens()) * block;
                    dst.put(to, src, from, n);
                    copiedFloats += n;
                }
            }
        }
        pastSide = target;
        rows = newRows;
        length = newLength;
    }

    long lastCopiedBytes() {
        return copiedFloats * Float.BYTES;
    }

    /** Bytes the buffers hold now. */
    long capacityBytes() {
        long total = 0;
        for (FloatBuffer[] side : sides) {
            for (FloatBuffer b : side) {
                total += b == null ? 0 : (long) b.capacity() * Float.BYTES;
            }
        }
        return total;
    }

    static void closeAll(OnnxTensor[] tensors) {
        if (tensors != null) {
            for (OnnxTensor t : tensors) {
                if (t != null) {
                    t.close();
                }
            }
        }
    }
}
