package dev.batchwise.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The running set's KV cache for a decoder whose attention reads the cache in place (ONNX Runtime's
 * {@code GroupQueryAttention}, see {@code GroupQueryAttentionRewrite}): per layer, one key and one value
 * buffer [rows, kvHeads, positions, headDim], each row left-aligned (its tokens first, unused positions
 * after), which the model reads as the past and writes as the present, the same memory, so a step
 * writes only its new positions.
 *
 * <p>Rows never move while they run. A prefill writes its new rows after the running ones; a row that
 * leaves is filled by the last row ({@link #move}), so the rows stay packed from row 0. The buffers grow
 * (rows and positions, by half again, and then every row's tokens are copied once) when a step needs
 * more; they never shrink.
 *
 * <p>Owned by one engine, used from its thread only.
 */
final class InPlaceKvCache {

    private final OrtEnvironment env;
    private final int tensors;
    private final int kvHeads;
    private final int headDim;
    private final int maxPositions;
    private final FloatBuffer[] buffers;
    private int rowCapacity;
    private int positions;
    /** Floats copied by the last growth or move, for the profile. */
    private long copiedFloats;

    InPlaceKvCache(OrtEnvironment env, int layers, int kvHeads, int headDim, int maxPositions) {
        this.env = env;
        this.tensors = 2 * layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.buffers = new FloatBuffer[tensors];
    }

    /** Positions per row in the buffers: the past length the model is given. */
    int positions() {
        return positions;
    }

    /**
     * Makes room for {@code rows} rows of {@code neededPositions} positions, keeping the tokens the
     * running rows hold (row r, {@code running.get(r).cached} tokens). Called at every step: it only
     * looks at the rows when the buffers must grow.
     */
    void ensure(int rows, int neededPositions, List<Sequence> running) {
        if (rows <= rowCapacity && neededPositions <= positions) {
            copiedFloats = 0;
            return;
        }
        int[] lengths = new int[running.size()];
        for (int r = 0; r < lengths.length; r++) {
            lengths[r] = running.get(r).cached;
        }
        ensure(rows, neededPositions, lengths);
    }

    /**
     * Makes room for {@code rows} rows of {@code neededPositions} positions, keeping the tokens of the
     * first {@code lengths.length} rows ({@code lengths[r]} tokens each).
     */
    void ensure(int rows, int neededPositions, int[] lengths) {
        copiedFloats = 0;
        if (rows <= rowCapacity && neededPositions <= positions) {
            return;
        }
        int newRows = Math.max(rows, rowCapacity);
        int newPositions = Math.max(neededPositions, positions);
        if (neededPositions > positions) {
            newPositions = (int) Math.min(Math.max(neededPositions, positions + positions / 2L), maxPositions);
            newPositions = Math.max(newPositions, neededPositions);
        }
        long floats = (long) newRows * kvHeads * newPositions * headDim;
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalStateException("a KV cache tensor of " + floats * Float.BYTES
                    + " bytes is more than one buffer holds (2 GiB); lower the max batch size");
        }
        for (int t = 0; t < tensors; t++) {
            FloatBuffer grown = ByteBuffer.allocateDirect((int) (floats * Float.BYTES)).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            FloatBuffer old = buffers[t];
            if (old != null) {
                for (int r = 0; r < lengths.length; r++) {
                    for (int h = 0; h < kvHeads; h++) {
                        int n = lengths[r] * headDim;
                        grown.put(offset(r, h, newPositions), old, offset(r, h, positions), n);
                        copiedFloats += n;
                    }
                }
            }
            buffers[t] = grown;
        }
        rowCapacity = newRows;
        positions = newPositions;
    }

    private int offset(int row, int head, int rowPositions) {
        return ((row * kvHeads + head) * rowPositions) * headDim;
    }

    /** Copies row {@code from}'s first {@code tokens} positions over row {@code to}. */
    void move(int from, int to, int tokens) {
        copiedFloats = 0;
        for (int t = 0; t < tensors; t++) {
            for (int h = 0; h < kvHeads; h++) {
                buffers[t].put(offset(to, h, positions), buffers[t], offset(from, h, positions), tokens * headDim);
                copiedFloats += (long) tokens * headDim;
            }
        }
    }

    /**
     * Tensors over rows {@code [first, first + rows)}, in input order (layer 0 key, layer 0 value, ...):
     * call it twice for the past and the present, which are then the same memory.
     */
    OnnxTensor[] rows(int first, int rows) throws OrtException {
        OnnxTensor[] out = new OnnxTensor[tensors];
        int start = offset(first, 0, positions);
        int n = rows * kvHeads * positions * headDim;
        for (int t = 0; t < tensors; t++) {
            FloatBuffer b = buffers[t].duplicate();
            b.clear().position(start).limit(start + n);
            out[t] = OnnxTensor.createTensor(env, b.slice(), new long[] {rows, kvHeads, positions, headDim});
        }
        return out;
    }

    long lastCopiedBytes() {
        return copiedFloats * Float.BYTES;
    }

    long capacityBytes() {
        return (long) tensors * rowCapacity * kvHeads * positions * headDim * Float.BYTES;
    }
}
