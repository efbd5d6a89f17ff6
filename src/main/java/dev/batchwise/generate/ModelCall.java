package dev.batchwise.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.batchwise.model.GroupQueryAttentionRewrite;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine's calls of the model: the input buffers (ids, mask, positions), the logits buffer, and
 * the call itself, with the cache tensors and the logits as pinned outputs, so ONNX Runtime writes
 * them straight into our direct buffers. Used from the engine's thread only.
 */
final class ModelCall {

    private final DecoderModel model;
    private final DecoderLayout layout;
    private final OrtSession session;
    private FloatBuffer logits;

    ModelCall(DecoderModel model) {
        this.model = model;
        this.layout = model.layout();
        this.session = model.session();
    }

    /**
     * Runs the model on {@code b} rows of {@code tokens} new tokens each, with {@code total} positions
     * (past and new) in the longest row. Closes the cache tensors it is given.
     *
     * @param maskIn the attention mask [b, total], for a model that takes one
     * @param lengthsIn for a model whose attention reads the cache in place: each row's total length
     *     minus one (and no mask); else null
     * @param logitsAt for a model that computes logits at one position per row: that position in each
     *     row's new tokens ({@code out} then holds one row of logits per row); else null
     */
    void run(int b, int tokens, int total, LongBuffer idsIn, LongBuffer maskIn, LongBuffer posIn, IntBuffer lengthsIn,
            LongBuffer logitsAt, OnnxTensor[] past, OnnxTensor[] present, FloatBuffer out, boolean withPast)
            throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        Map<String, OnnxValue> outputs = new HashMap<>();
        List<OnnxTensor> made = new ArrayList<>();
        try {
            made.add(put(inputs, DecoderLayout.IDS, OnnxTensor.createTensor(model.env(), slice(idsIn, b * tokens),
                    new long[] {b, tokens})));
            if (lengthsIn == null) {
                made.add(put(inputs, DecoderLayout.MASK, OnnxTensor.createTensor(model.env(), slice(maskIn, b * total),
                        new long[] {b, total})));
            } else {
                IntBuffer lengths = lengthsIn.duplicate();
                lengths.clear().limit(b);
                made.add(put(inputs, GroupQueryAttentionRewrite.SEQLENS, OnnxTensor.createTensor(model.env(),
                        lengths.slice(), new long[] {b})));
                made.add(put(inputs, GroupQueryAttentionRewrite.TOTAL, OnnxTensor.createTensor(model.env(), total)));
            }
            if (logitsAt != null) {
                made.add(put(inputs, GroupQueryAttentionRewrite.LOGITS_POSITION, OnnxTensor.createTensor(model.env(),
                        slice(logitsAt, b), new long[] {b, 1})));
            }
            if (layout.positionIds()) {
                made.add(put(inputs, DecoderLayout.POSITIONS, OnnxTensor.createTensor(model.env(),
                        slice(posIn, b * tokens), new long[] {b, tokens})));
            }
            if (layout.useCacheBranch()) {
                made.add(put(inputs, DecoderLayout.CACHE_BRANCH, OnnxTensor.createTensor(model.env(),
                        new boolean[] {withPast})));
            }
            for (int l = 0; l < layout.layers(); l++) {
                inputs.put(DecoderLayout.past(l, false), past[2 * l]);
                inputs.put(DecoderLayout.past(l, true), past[2 * l + 1]);
                outputs.put(DecoderLayout.present(l, false), present[2 * l]);
                outputs.put(DecoderLayout.present(l, true), present[2 * l + 1]);
            }
            OnnxTensor logitsOut = OnnxTensor.createTensor(model.env(), out,
                    new long[] {b, logitsAt != null ? 1 : tokens, layout.vocab()});
            made.add(logitsOut);
            outputs.put(DecoderLayout.LOGITS, logitsOut);
            session.run(inputs, outputs).close();
        } finally {
            for (OnnxTensor t : made) {
                t.close();
            }
            KvCache.closeAll(past);
            KvCache.closeAll(present);
        }
    }

    private static OnnxTensor put(Map<String, OnnxTensor> inputs, String name, OnnxTensor t) {
        inputs.put(name, t);
        return t;
    }

    private final LongBuffer[] longBuffers = new LongBuffer[4];
    private IntBuffer ints;

    /** A buffer of at least {@code n} ints for each row's length. */
    IntBuffer ints(int n) {
        if (ints == null || ints.capacity() < n) {
            ints = ByteBuffer.allocateDirect(Math.max(n, 64) * Integer.BYTES * 2).order(ByteOrder.nativeOrder()).asIntBuffer();
        }
        return ints;
    }

    LongBuffer longs(int which, int n) {
        LongBuffer b = longBuffers[which];
        if (b == null || b.capacity() < n) {
            b = ByteBuffer.allocateDirect(Math.max(n, 64) * Long.BYTES * 2).order(ByteOrder.nativeOrder()).asLongBuffer();
            longBuffers[which] = b;
        }
        return b;
    }

    FloatBuffer logits(long n) {
        if (n * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalStateException("logits of " + n * Float.BYTES + " bytes are more than one buffer holds");
        }
        if (logits == null || logits.capacity() < n) {
            long grown = Math.min(Math.max(n, logits == null ? 0 : logits.capacity() * 3L / 2), Integer.MAX_VALUE / Float.BYTES);
            logits = ByteBuffer.allocateDirect((int) (grown * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        FloatBuffer view = logits.duplicate();
        view.clear().limit((int) n);
        return view.slice();
    }

    private static LongBuffer slice(LongBuffer b, int n) {
        LongBuffer view = b.duplicate();
        view.clear().limit(n);
        return view.slice();
    }

}
