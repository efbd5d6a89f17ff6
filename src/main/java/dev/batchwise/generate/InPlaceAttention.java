package dev.batchwise.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.batchwise.model.GroupQueryAttentionRewrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens a decoder with its attention rewritten to read the KV cache in place
 * ({@link GroupQueryAttentionRewrite}), and uses it only when it computes what the export computes:
 * both run the same two prompts of different lengths (padded, each in its own way) and one decoding
 * step, and their logits must agree. A decoder the rewrite does not recognise, or whose numbers differ,
 * runs as exported.
 *
 * <p>With the system property {@code batchwise.attention=exported} every decoder runs as exported, to
 * compare against.
 */
final class InPlaceAttention {

    static final String PROPERTY = "batchwise.attention";
    /** The most a logit may differ from the export's, relative to the largest logit (and at least 1). */
    static final double TOLERANCE = 1e-3;

    /**
     * The rewritten session, or null and why not.
     *
     * @param onePositionLogits whether the session computes logits at one position per row, fed as
     *     {@link GroupQueryAttentionRewrite#LOGITS_POSITION}
     */
    record Opened(OrtSession session, String refusal, boolean onePositionLogits) {
        Opened(OrtSession session, String refusal) {
            this(session, refusal, false);
        }
    }

    private InPlaceAttention() {}

    /**
     * @param exported the session of the model as exported, which the probe compares against
     * @param options makes the session options the rewritten model is opened with
     */
    static Opened open(Path model, DecoderLayout layout, OrtEnvironment env, OrtSession exported,
            SessionOptionsFactory options) {
        if ("exported".equals(System.getProperty(PROPERTY))) {
            return new Opened(null, "-D" + PROPERTY + "=exported");
        }
        if (layout.useCacheBranch() || !layout.positionIds()) {
            return new Opened(null, layout.useCacheBranch() ? "the graph takes use_cache_branch"
                    : "the graph computes its positions from the attention mask");
        }
        if (layout.headDim() % 8 != 0) { // ONNX Runtime's CPU kernel takes heads of multiples of 8
            return new Opened(null, "its heads are " + layout.headDim() + " wide; GroupQueryAttention takes multiples of 8");
        }
        GroupQueryAttentionRewrite.Result rewritten;
        try {
            rewritten = GroupQueryAttentionRewrite.rewrite(Files.readAllBytes(model), layout.layers(), layout.heads(),
                    layout.kvHeads(), layout.vocab());
        } catch (IOException | OutOfMemoryError e) {
            return new Opened(null, "cannot read " + model + ": " + e.getMessage());
        }
        if (rewritten.model() == null) {
            return new Opened(null, rewritten.refusal());
        }
        OrtSession session = null;
        try (OrtSession.SessionOptions o = options.make()) {
            // a kernel that refuses the probe's shapes says why in the exception: keep ONNX Runtime's own
            // log of it off the user's terminal, since the model then runs as exported
            o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = env.createSession(rewritten.model(), o);
            double diff = new Probe(layout, env, rewritten.onePositionLogits()).compare(exported, session);
            if (!(diff <= TOLERANCE)) {
                session.close();
                return new Opened(null, "its logits differ from the export's by " + diff + " (relative)");
            }
            return new Opened(session, null, rewritten.onePositionLogits());
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // already failing
                }
            }
            return new Opened(null, "ONNX Runtime does not run the rewrite: " + e.getMessage());
        }
    }

    /** Makes fresh session options (they are closed after use). */
    interface SessionOptionsFactory {
        OrtSession.SessionOptions make() throws OrtException;
    }

    /** Two prompts of 5 and 3 tokens, then one decoding step, through both graphs. */
    private static final class Probe {
        private static final int[] LENGTHS = {5, 3};
        private static final int LONGEST = 5;
        private final DecoderLayout layout;
        private final OrtEnvironment env;
        private final boolean onePositionLogits;

        Probe(DecoderLayout layout, OrtEnvironment env, boolean onePositionLogits) {
            this.layout = layout;
            this.env = env;
            this.onePositionLogits = onePositionLogits;
        }

        private long token(int row, int i) {
            return (7L * i + 31L * row + 3) % layout.vocab();
        }

        /** The largest difference between the two graphs' logits of each row's last token, relative. */
        double compare(OrtSession exported, OrtSession inPlace) throws OrtException {
            float[][] a = exported(exported);
            float[][] b = inPlace(inPlace);
            double largest = 1;
            double diff = 0;
            for (int r = 0; r < a.length; r++) {
                for (int i = 0; i < a[r].length; i++) {
                    largest = Math.max(largest, Math.abs(a[r][i]));
                    diff = Math.max(diff, Math.abs(a[r][i] - b[r][i]));
                }
            }
            return diff / largest;
        }

        /** Rows 0-1: each prompt's last logits; rows 2-3: the decoding step's. Left-padded, with the mask. */
        private float[][] exported(OrtSession s) throws OrtException {
            int rows = LENGTHS.length;
            long[] ids = new long[rows * LONGEST];
            long[] mask = new long[rows * LONGEST];
            long[] pos = new long[rows * LONGEST];
            for (int r = 0; r < rows; r++) {
                int pad = LONGEST - LENGTHS[r];
                for (int i = 0; i < LONGEST; i++) {
                    boolean real = i >= pad;
                    ids[r * LONGEST + i] = real ? token(r, i - pad) : layout.padId();
                    mask[r * LONGEST + i] = real ? 1 : 0;
                    pos[r * LONGEST + i] = real ? i - pad : 1;
                }
            }
            Map<String, OnnxTensor> in = new HashMap<>();
            float[][] out = new float[2 * rows][];
            try {
                in.put(DecoderLayout.IDS, longs(ids, rows, LONGEST));
                in.put(DecoderLayout.MASK, longs(mask, rows, LONGEST));
                in.put(DecoderLayout.POSITIONS, longs(pos, rows, LONGEST));
                for (int l = 0; l < layout.layers(); l++) {
                    for (boolean v : new boolean[] {false, true}) {
                        in.put(DecoderLayout.past(l, v), OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                                new long[] {rows, layout.kvHeads(), 0, layout.headDim()}));
                    }
                }
                Map<String, OnnxTensor> next = new HashMap<>();
                try (OrtSession.Result result = s.run(in)) {
                    float[][][] logits = (float[][][]) result.get(DecoderLayout.LOGITS).get().getValue();
                    for (int r = 0; r < rows; r++) {
                        out[r] = logits[r][LONGEST - 1];
                    }
                    long[] mask2 = new long[rows * (LONGEST + 1)];
                    long[] pos2 = new long[rows];
                    long[] ids2 = new long[rows];
                    for (int r = 0; r < rows; r++) {
                        for (int i = 0; i <= LONGEST; i++) {
                            mask2[r * (LONGEST + 1) + i] = i >= LONGEST - LENGTHS[r] ? 1 : 0;
                        }
                        pos2[r] = LENGTHS[r];
                        ids2[r] = token(r, 99);
                    }
                    next.put(DecoderLayout.IDS, longs(ids2, rows, 1));
                    next.put(DecoderLayout.MASK, longs(mask2, rows, LONGEST + 1));
                    next.put(DecoderLayout.POSITIONS, longs(pos2, rows, 1));
                    Map<String, OnnxTensor> pasts = new HashMap<>();
                    for (int l = 0; l < layout.layers(); l++) {
                        for (boolean v : new boolean[] {false, true}) {
                            pasts.put(DecoderLayout.past(l, v),
                                    (OnnxTensor) result.get(DecoderLayout.present(l, v)).get());
                        }
                    }
                    Map<String, OnnxTensor> all = new HashMap<>(next);
                    all.putAll(pasts);
                    try (OrtSession.Result step = s.run(all)) {
                        float[][][] logits2 = (float[][][]) step.get(DecoderLayout.LOGITS).get().getValue();
                        for (int r = 0; r < rows; r++) {
                            out[rows + r] = logits2[r][0];
                        }
                    }
                } finally {
                    next.values().forEach(OnnxTensor::close);
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
            }
            return out;
        }

        /** As {@link #exported}, right-padded, with the lengths and one cache read and written in place. */
        private float[][] inPlace(OrtSession s) throws OrtException {
            int rows = LENGTHS.length;
            int positions = LONGEST + 1;
            FloatBuffer[] cache = new FloatBuffer[2 * layout.layers()];
            for (int t = 0; t < cache.length; t++) {
                cache[t] = ByteBuffer.allocateDirect(rows * layout.kvHeads() * positions * layout.headDim() * Float.BYTES)
                        .order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            long[] ids = new long[rows * LONGEST];
            long[] pos = new long[rows * LONGEST];
            int[] lengths = new int[rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < LONGEST; i++) {
                    ids[r * LONGEST + i] = i < LENGTHS[r] ? token(r, i) : layout.padId();
                    pos[r * LONGEST + i] = i < LENGTHS[r] ? i : 0;
                }
                lengths[r] = LENGTHS[r] - 1;
            }
            float[][] out = new float[2 * rows][];
            long[] last = new long[rows];
            for (int r = 0; r < rows; r++) {
                last[r] = LENGTHS[r] - 1;
            }
            float[][][] logits = run(s, cache, positions, longs(ids, rows, LONGEST), longs(pos, rows, LONGEST),
                    lengths, LONGEST, last);
            for (int r = 0; r < rows; r++) {
                out[r] = logits[r][onePositionLogits ? 0 : LENGTHS[r] - 1];
            }
            long[] ids2 = new long[rows];
            long[] pos2 = new long[rows];
            for (int r = 0; r < rows; r++) {
                ids2[r] = token(r, 99);
                pos2[r] = LENGTHS[r];
                lengths[r] = LENGTHS[r];
            }
            float[][][] logits2 = run(s, cache, positions, longs(ids2, rows, 1), longs(pos2, rows, 1), lengths,
                    LONGEST + 1, new long[rows]);
            for (int r = 0; r < rows; r++) {
                out[rows + r] = logits2[r][0];
            }
            return out;
        }

        private float[][][] run(OrtSession s, FloatBuffer[] cache, int positions, OnnxTensor ids, OnnxTensor pos,
                int[] lengths, int total, long[] logitsAt) throws OrtException {
            Map<String, OnnxTensor> in = new HashMap<>();
            Map<String, OnnxValue> pinned = new HashMap<>();
            try {
                in.put(DecoderLayout.IDS, ids);
                in.put(DecoderLayout.POSITIONS, pos);
                in.put(GroupQueryAttentionRewrite.SEQLENS, OnnxTensor.createTensor(env, IntBuffer.wrap(lengths),
                        new long[] {lengths.length}));
                in.put(GroupQueryAttentionRewrite.TOTAL, OnnxTensor.createTensor(env, total));
                if (onePositionLogits) {
                    in.put(GroupQueryAttentionRewrite.LOGITS_POSITION, longs(logitsAt, logitsAt.length, 1));
                }
                long[] shape = {lengths.length, layout.kvHeads(), positions, layout.headDim()};
                for (int l = 0; l < layout.layers(); l++) {
                    for (boolean v : new boolean[] {false, true}) {
                        FloatBuffer b = cache[2 * l + (v ? 1 : 0)];
                        in.put(DecoderLayout.past(l, v), OnnxTensor.createTensor(env, b, shape));
                        pinned.put(DecoderLayout.present(l, v), OnnxTensor.createTensor(env, b, shape));
                    }
                }
                try (OrtSession.Result result = s.run(in, java.util.Set.of(DecoderLayout.LOGITS), pinned)) {
                    return (float[][][]) result.get(DecoderLayout.LOGITS).get().getValue();
                }
            } finally {
                in.values().forEach(OnnxTensor::close);
                pinned.values().forEach(OnnxValue::close);
            }
        }

        private OnnxTensor longs(long[] values, int rows, int columns) throws OrtException {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[] {rows, columns});
        }
    }
}
