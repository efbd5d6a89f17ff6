package dev.batchwise.model;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.batchwise.model.OnnxGraph.Node;
import dev.batchwise.model.OnnxGraph.Refusal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites the attention of a decoder exported in Optimum's {@code text-generation-with-past} layout
 * into ONNX Runtime's {@code GroupQueryAttention} contrib operator, so that decoding reads the KV cache
 * in place instead of copying it at every step.
 *
 * <p>The export's attention, per layer: {@code present = Concat(past, new)} on the sequence axis (a
 * copy of the whole cache at every step), the key/value heads repeated to the query heads
 * ({@code Unsqueeze, Expand, Reshape}: three more copies with three query heads per key/value head),
 * then {@code Softmax(scale * Q Kᵀ + mask) V} and the heads merged ({@code Transpose, Reshape}). The
 * rewrite keeps everything up to the rotated queries and the new keys and values (projections, norms,
 * rotary positions, as the export computes them) and everything from the merged heads on, and puts one
 * {@code GroupQueryAttention} between them: it takes the past and the new key and value, writes the
 * new positions into the present, and attends each query head to its key/value head with the causal
 * mask, row by row up to each row's own length.
 *
 * <p>What the caller feeds changes with it (see {@link #SEQLENS} and {@link #TOTAL}): the cache is
 * left-aligned (a row's tokens first, the unused positions after), a prompt is right-padded, and a
 * row's length replaces the attention mask, which the rewritten graph no longer takes. When past and
 * present are the same buffer (pinned output over the past's memory), the operator writes only the new
 * positions.
 *
 * <p>When the logits come from one product of the final hidden states (optionally flattened to rows
 * and back), the rewrite also computes them at one position per row ({@link #LOGITS_POSITION}): a
 * prefill needs only each prompt's last, and the others were a fifth of its work.
 *
 * <p>The rewrite is refused, with the reason, for anything it does not recognise: a layer whose
 * attention is not this pattern, a scale it cannot read, a rewritten graph in which something else
 * still reads the mask or the concatenated cache, external data files, sub-graphs. The caller checks
 * the rewritten model's numbers against the export's before it uses it.
 */
public final class GroupQueryAttentionRewrite {

    /** The int32 input [batch]: each row's total length (past and new tokens) minus one. */
    public static final String SEQLENS = "batchwise_seqlens_k";
    /** The int32 scalar input: the longest row's total length. */
    public static final String TOTAL = "batchwise_total_sequence_length";
    /** The int64 input [batch, 1], when {@link Result#onePositionLogits()}: the position of each row's logits. */
    public static final String LOGITS_POSITION = "batchwise_logits_position";

    private static final String MS_DOMAIN = "com.microsoft";
    private static final String BSD_SHAPE = "batchwise/gqa/bsd_shape";
    private static final String LOGITS_SHAPE = "batchwise/gqa/logits_shape";
    private static final String AXIS_1 = "batchwise/gqa/axis_1";
    /** Ops that carry a tensor's values through (their data is input 0) on the way between a cache and its MatMul. */
    private static final Set<String> REPEAT = Set.of("Unsqueeze", "Expand", "Reshape", "Identity", "Cast", "Squeeze");

    /**
     * The rewritten model, or why not.
     *
     * @param onePositionLogits whether the rewritten model computes logits at {@link #LOGITS_POSITION} only
     */
    public record Result(byte[] model, String refusal, boolean onePositionLogits) {}

    private GroupQueryAttentionRewrite() {}

    /**
     * The rewrite of an ONNX decoder, or the reason there is none.
     *
     * @param layers the decoder's layers, heads its query heads and kvHeads its key/value heads, from config.json
     * @param vocab the logits' last dimension
     */
    public static Result rewrite(byte[] modelBytes, int layers, int heads, int kvHeads, int vocab) {
        try {
            return new Match(new OnnxGraph(modelBytes)).rewrite(layers, heads, kvHeads, vocab);
        } catch (InvalidProtocolBufferException e) {
            return new Result(null, "the model is not an ONNX file the rewrite can read: " + e.getMessage(), false);
        } catch (Refusal r) {
            return new Result(null, r.getMessage(), false);
        }
    }

    /** One layer's attention, as found. */
    private record Layer(int keyConcat, int valueConcat, int merge, String query, String newKey, String newValue,
            String output, float scale) {}

    private static final class Match {
        private final OnnxGraph g;
        /** New nodes, each list before the node of its index. */
        private final Map<Integer, List<UnknownFieldSet>> insertedAt = new HashMap<>();
        /** Nodes replaced (a new proto) or removed (null). */
        private final Map<Integer, UnknownFieldSet> replaced = new HashMap<>();
        private final List<UnknownFieldSet> newInputs = new ArrayList<>();
        private final List<UnknownFieldSet> newInitializers = new ArrayList<>();

        Match(OnnxGraph g) {
            this.g = g;
        }

        Result rewrite(int layers, int heads, int kvHeads, int vocab) throws InvalidProtocolBufferException {
            List<Layer> found = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                found.add(layer(l));
            }
            Set<String> caches = new HashSet<>();
            for (int l = 0; l < layers; l++) {
                Layer a = found.get(l);
                replaced.put(a.keyConcat(), null);
                replaced.put(a.valueConcat(), null);
                replaced.put(a.merge(), null);
                String p = "batchwise/gqa/" + l + "/";
                List<UnknownFieldSet> added = insertedAt.computeIfAbsent(a.merge(), k -> new ArrayList<>());
                String q = toBsd(added, p + "q", a.query());
                String k = toBsd(added, p + "k", a.newKey());
                String v = toBsd(added, p + "v", a.newValue());
                added.add(OnnxProto.node(MS_DOMAIN, "GroupQueryAttention", p + "attention",
                        List.of(q, k, v, pastName(l, false), pastName(l, true), SEQLENS, TOTAL),
                        List.of(a.output(), presentName(l, false), presentName(l, true)),
                        OnnxProto.intAttribute("num_heads", heads), OnnxProto.intAttribute("kv_num_heads", kvHeads),
                        OnnxProto.floatAttribute("scale", a.scale())));
                caches.add(presentName(l, false));
                caches.add(presentName(l, true));
            }
            newInputs.add(OnnxProto.valueInfo(SEQLENS, OnnxProto.INT32, "batch_size"));
            newInputs.add(OnnxProto.valueInfo(TOTAL, OnnxProto.INT32));
            newInitializers.add(OnnxProto.int64Vector(BSD_SHAPE, 0, 0, -1));
            boolean onePosition = g.opset() >= 12 && onePositionLogits(vocab, g.opset());
            List<UnknownFieldSet> nodes = new ArrayList<>();
            for (int i = 0; i < g.size(); i++) {
                nodes.addAll(insertedAt.getOrDefault(i, List.of()));
                if (!replaced.containsKey(i)) {
                    nodes.add(g.node(i).proto());
                } else if (replaced.get(i) != null) {
                    nodes.add(replaced.get(i));
                }
            }
            byte[] out = g.write(nodes, new OnnxGraph.Changes(newInputs, newInitializers, MS_DOMAIN,
                    name -> name.equals("attention_mask"), caches));
            return new Result(out, null, onePosition);
        }

        /**
         * Makes the logits at one position per row: the final hidden states [batch, tokens, hidden] are
         * gathered at {@link #LOGITS_POSITION} before the product with the output embedding. False, and
         * nothing changed, when the logits are not made that way.
         */
        private boolean onePositionLogits(int vocab, long opset) {
            int outerIndex = g.producerIndex("logits");
            if (outerIndex < 0) {
                return false;
            }
            Node outer = g.node(outerIndex);
            int headIndex = outer.op().equals("Reshape") ? g.producerIndex(outer.in(0)) : outerIndex;
            if (headIndex < 0 || replaced.containsKey(headIndex) || replaced.containsKey(outerIndex)) {
                return false;
            }
            Node head = g.node(headIndex);
            boolean gemm = head.op().equals("Gemm");
            if (!(head.op().equals("MatMul") || gemm && g.ints(head, "transA").stream().allMatch(t -> t == 0))) {
                return false;
            }
            Node flatten = g.producerOf(head.in(0));
            boolean flat = flatten != null && flatten.op().equals("Reshape");
            if (flat != (outerIndex != headIndex) || gemm && !flat) {
                return false; // rows flattened and not folded back, or the other way round
            }
            String hidden = flat ? flatten.in(0) : head.in(0);
            String p = "batchwise/gqa/logits/";
            List<UnknownFieldSet> added = insertedAt.computeIfAbsent(headIndex, k -> new ArrayList<>());
            added.add(OnnxProto.node("GatherND", p + "gather", List.of(hidden, LOGITS_POSITION), List.of(p + "rows"),
                    OnnxProto.intAttribute("batch_dims", 1)));
            String rows = p + "rows";
            if (!flat) {
                if (opset >= 13) {
                    newInitializers.add(OnnxProto.int64Vector(AXIS_1, 1));
                    added.add(OnnxProto.node("Unsqueeze", p + "unsqueeze", List.of(rows, AXIS_1), List.of(p + "one")));
                } else {
                    added.add(OnnxProto.node("Unsqueeze", p + "unsqueeze", List.of(rows), List.of(p + "one"),
                            OnnxProto.intsAttribute("axes", 1)));
                }
                rows = p + "one";
            }
            List<String> headInputs = new ArrayList<>(head.inputs());
            headInputs.set(0, rows);
            replaced.put(headIndex, OnnxProto.withInputs(head.proto(), headInputs));
            if (flat) {
                newInitializers.add(OnnxProto.int64Vector(LOGITS_SHAPE, -1, 1, vocab));
                replaced.put(outerIndex, OnnxProto.withInputs(outer.proto(), List.of(outer.in(0), LOGITS_SHAPE)));
            }
            newInputs.add(OnnxProto.valueInfo(LOGITS_POSITION, OnnxProto.INT64, "batch_size", 1));
            return true;
        }

        private String toBsd(List<UnknownFieldSet> added, String prefix, String bnsh) {
            added.add(OnnxProto.node("Transpose", prefix + "/transpose", List.of(bnsh), List.of(prefix + "/bsnh"),
                    OnnxProto.intsAttribute("perm", 0, 2, 1, 3)));
            added.add(OnnxProto.node("Reshape", prefix + "/reshape", List.of(prefix + "/bsnh", BSD_SHAPE),
                    List.of(prefix + "/bsd")));
            return prefix + "/bsd";
        }

        private Layer layer(int l) {
            Node keyConcat = concatOf(l, false);
            Node valueConcat = concatOf(l, true);
            String where = "layer " + l;
            // the values' way from the present to their MatMul: repeated heads only
            int pv = matMulAlong(presentName(l, true), 1, where + "'s values");
            // the keys' way: repeated heads, the one transpose of Q Kᵀ, and maybe a scale
            double[] scale = {1};
            int qk = matMulAlongKeys(presentName(l, false), scale, where);
            Node qkNode = g.node(qk);
            String query = qkNode.in(0);
            for (Node p = g.producerOf(query); p != null && p.op().equals("Mul"); p = g.producerOf(query)) {
                Double c0 = g.constant(p.in(0));
                Double c1 = g.constant(p.in(1));
                if (c0 == null && c1 == null) {
                    break;
                }
                scale[0] *= c0 != null ? c0 : c1;
                query = c0 != null ? p.in(1) : p.in(0);
            }
            String softmaxOut = toSoftmax(qkNode.outputs().get(0), scale, where);
            String probs = g.node(pv).in(0);
            while (!probs.equals(softmaxOut)) {
                Node p = g.producerOf(probs);
                if (p == null || !(p.op().equals("Cast") || p.op().equals("Identity"))) {
                    throw new Refusal(where + ": its values are not weighted by its softmax");
                }
                probs = p.in(0);
            }
            List<Integer> t = g.dataConsumers(g.node(pv).outputs().get(0));
            if (t.size() != 1 || !g.node(t.get(0)).op().equals("Transpose")
                    || !g.ints(g.node(t.get(0)), "perm").equals(List.of(0L, 2L, 1L, 3L))) {
                throw new Refusal(where + ": its heads are not merged by Transpose(0, 2, 1, 3)");
            }
            List<Integer> r = g.dataConsumers(g.node(t.get(0)).outputs().get(0));
            if (r.size() != 1 || !g.node(r.get(0)).op().equals("Reshape")) {
                throw new Refusal(where + ": its merged heads are not reshaped");
            }
            if (!(scale[0] > 0) || Double.isInfinite(scale[0])) {
                throw new Refusal(where + ": its attention scale " + scale[0] + " is not a positive number");
            }
            return new Layer(g.producerIndex(presentName(l, false)), g.producerIndex(presentName(l, true)), r.get(0), query,
                    keyConcat.in(1), valueConcat.in(1), g.node(r.get(0)).outputs().get(0), (float) scale[0]);
        }

        private Node concatOf(int l, boolean value) {
            Node c = g.producerOf(presentName(l, value));
            if (c == null || !c.op().equals("Concat") || c.inputs().size() != 2
                    || !c.in(0).equals(pastName(l, value))) {
                throw new Refusal(presentName(l, value) + " is not Concat(" + pastName(l, value) + ", new)");
            }
            List<Long> axis = g.ints(c, "axis");
            if (axis.size() != 1 || (axis.get(0) != 2 && axis.get(0) != -2)) {
                throw new Refusal(presentName(l, value) + " is not concatenated on the sequence axis");
            }
            return c;
        }

        /** The one MatMul that takes {@code tensor}, through ops that repeat heads, as its input {@code side}. */
        private int matMulAlong(String tensor, int side, String what) {
            String at = tensor;
            while (true) {
                List<Integer> uses = g.dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(what + ": " + at + " has " + uses.size() + " uses where one was expected");
                }
                Node n = g.node(uses.get(0));
                if (n.op().equals("MatMul") && n.in(side).equals(at) && !n.in(1 - side).equals(at)) {
                    return uses.get(0);
                }
                if (!REPEAT.contains(n.op()) || !n.in(0).equals(at)) {
                    throw new Refusal(what + ": " + n.op() + " on the way to attention");
                }
                at = n.outputs().get(0);
            }
        }

        private int matMulAlongKeys(String tensor, double[] scale, String where) {
            String at = tensor;
            boolean transposed = false;
            while (true) {
                List<Integer> uses = g.dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(where + "'s keys: " + at + " has " + uses.size() + " uses where one was expected");
                }
                Node n = g.node(uses.get(0));
                if (n.op().equals("MatMul") && n.in(1).equals(at) && transposed) {
                    return uses.get(0);
                }
                if (n.op().equals("Transpose") && !transposed
                        && g.ints(n, "perm").equals(List.of(0L, 1L, 3L, 2L))) {
                    transposed = true;
                } else if (n.op().equals("Mul") && scalarOther(n, at) != null) {
                    scale[0] *= scalarOther(n, at);
                } else if (!REPEAT.contains(n.op()) || !n.in(0).equals(at)) {
                    throw new Refusal(where + "'s keys: " + n.op() + " on the way to attention");
                }
                at = n.outputs().get(0);
            }
        }

        private Double scalarOther(Node n, String at) {
            if (n.in(0).equals(at)) {
                return g.constant(n.in(1));
            }
            return n.in(1).equals(at) ? g.constant(n.in(0)) : null;
        }

        /** Follows Q Kᵀ to its Softmax over the last axis, reading the scale and passing the mask; its output. */
        private String toSoftmax(String scores, double[] scale, String where) {
            String at = scores;
            while (true) {
                List<Integer> uses = g.dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(where + "'s scores have " + uses.size() + " uses where one was expected");
                }
                Node n = g.node(uses.get(0));
                switch (n.op()) {
                    case "Softmax" -> {
                        List<Long> axis = g.ints(n, "axis");
                        if (!axis.isEmpty() && axis.get(0) != -1 && axis.get(0) != 3) {
                            throw new Refusal(where + "'s softmax is not over the keys");
                        }
                        return n.outputs().get(0);
                    }
                    case "Div" -> {
                        Double c = n.in(0).equals(at) ? g.constant(n.in(1)) : null;
                        if (c == null) {
                            throw new Refusal(where + "'s scores are divided by something other than a constant");
                        }
                        scale[0] /= c;
                    }
                    case "Mul" -> {
                        Double c = scalarOther(n, at);
                        if (c == null) {
                            throw new Refusal(where + "'s scores are multiplied by something other than a constant");
                        }
                        scale[0] *= c;
                    }
                    case "Add", "Where", "Cast", "Identity" -> {
                        // the mask (added, or chosen by Where) and casts: GroupQueryAttention masks causally by length
                        if (n.op().equals("Add") && g.constant(n.in(0).equals(at) ? n.in(1) : n.in(0)) != null) {
                            throw new Refusal(where + "'s scores have a constant added");
                        }
                    }
                    default -> throw new Refusal(where + "'s scores go through " + n.op() + " before the softmax");
                }
                at = n.outputs().get(0);
            }
        }
    }

    static String pastName(int layer, boolean value) {
        return "past_key_values." + layer + (value ? ".value" : ".key");
    }

    static String presentName(int layer, boolean value) {
        return "present." + layer + (value ? ".value" : ".key");
    }
}
