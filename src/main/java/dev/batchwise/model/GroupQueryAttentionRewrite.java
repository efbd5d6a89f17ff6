package dev.batchwise.model;

import static dev.batchwise.model.OnnxProto.GRAPH_INITIALIZER;
import static dev.batchwise.model.OnnxProto.GRAPH_INPUT;
import static dev.batchwise.model.OnnxProto.GRAPH_NODE;
import static dev.batchwise.model.OnnxProto.GRAPH_OUTPUT;
import static dev.batchwise.model.OnnxProto.GRAPH_VALUE_INFO;
import static dev.batchwise.model.OnnxProto.MODEL_GRAPH;
import static dev.batchwise.model.OnnxProto.MODEL_OPSET_IMPORT;
import static dev.batchwise.model.OnnxProto.NODE_ATTRIBUTE;
import static dev.batchwise.model.OnnxProto.NODE_DOMAIN;
import static dev.batchwise.model.OnnxProto.NODE_INPUT;
import static dev.batchwise.model.OnnxProto.NODE_OP_TYPE;
import static dev.batchwise.model.OnnxProto.NODE_OUTPUT;
import static dev.batchwise.model.OnnxProto.VALUE_INFO_NAME;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
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

    private static final String MS_DOMAIN = "com.microsoft";
    private static final String BSD_SHAPE = "batchwise/gqa/bsd_shape";
    /** Ops that carry a tensor's values through (their data is input 0) on the way between a cache and its MatMul. */
    private static final Set<String> REPEAT = Set.of("Unsqueeze", "Expand", "Reshape", "Identity", "Cast", "Squeeze");

    /** The rewritten model, or why not. */
    public record Result(byte[] model, String refusal) {
        static Result ok(byte[] model) {
            return new Result(model, null);
        }

        static Result refused(String why) {
            return new Result(null, why);
        }
    }

    private GroupQueryAttentionRewrite() {}

    /**
     * The rewrite of an ONNX decoder, or the reason there is none.
     *
     * @param layers the decoder's layers, heads its query heads and kvHeads its key/value heads, from config.json
     */
    public static Result rewrite(byte[] modelBytes, int layers, int heads, int kvHeads) {
        try {
            return new Graph(modelBytes).rewrite(layers, heads, kvHeads);
        } catch (InvalidProtocolBufferException e) {
            return Result.refused("the model is not an ONNX file the rewrite can read: " + e.getMessage());
        } catch (Refusal r) {
            return Result.refused(r.getMessage());
        }
    }

    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private record Node(UnknownFieldSet proto, String op, List<String> inputs, List<String> outputs) {
        String in(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }
    }

    private static final class Graph {
        private final UnknownFieldSet model;
        private final UnknownFieldSet graph;
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Integer> producer = new HashMap<>();
        private final Map<String, List<Integer>> consumers = new HashMap<>();
        private final Map<String, UnknownFieldSet> initializers = new HashMap<>();

        Graph(byte[] bytes) throws InvalidProtocolBufferException {
            model = UnknownFieldSet.parseFrom(bytes);
            List<ByteString> graphs = model.getField(MODEL_GRAPH).getLengthDelimitedList();
            if (graphs.size() != 1) {
                throw new Refusal("the model has no graph");
            }
            graph = OnnxProto.parse(graphs.get(0));
            for (UnknownFieldSet t : OnnxProto.messages(graph, GRAPH_INITIALIZER)) {
                if (OnnxProto.varint(t, OnnxProto.TENSOR_DATA_LOCATION, 0) == OnnxProto.EXTERNAL) {
                    throw new Refusal("its weights are in external data files");
                }
                if (OnnxProto.varint(t, OnnxProto.TENSOR_DATA_TYPE, 0) == OnnxProto.FLOAT
                        || OnnxProto.varint(t, OnnxProto.TENSOR_DATA_TYPE, 0) == OnnxProto.DOUBLE) {
                    initializers.put(OnnxProto.string(t, OnnxProto.TENSOR_NAME), t);
                }
            }
            for (UnknownFieldSet n : OnnxProto.messages(graph, GRAPH_NODE)) {
                String domain = OnnxProto.string(n, NODE_DOMAIN);
                String op = domain.isEmpty() || domain.equals("ai.onnx") ? OnnxProto.string(n, NODE_OP_TYPE)
                        : domain + ":" + OnnxProto.string(n, NODE_OP_TYPE);
                Node node = new Node(n, op, OnnxProto.strings(n, NODE_INPUT), OnnxProto.strings(n, NODE_OUTPUT));
                int index = nodes.size();
                nodes.add(node);
                for (String o : node.outputs()) {
                    producer.put(o, index);
                }
                for (String i : node.inputs()) {
                    consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(index);
                }
                if (op.equals("If") || op.equals("Loop") || op.equals("Scan")) {
                    throw new Refusal("it has sub-graphs (" + op + ")");
                }
            }
        }

        private Node producerOf(String tensor) {
            Integer i = producer.get(tensor);
            return i == null ? null : nodes.get(i);
        }

        /** The consumers of a tensor that use its values (not only its shape). */
        private List<Integer> dataConsumers(String tensor) {
            List<Integer> out = new ArrayList<>();
            for (int i : consumers.getOrDefault(tensor, List.of())) {
                if (!nodes.get(i).op().equals("Shape")) {
                    out.add(i);
                }
            }
            return out;
        }

        /** The value of a one-element float constant (a Constant node or an initializer), else null. */
        private Double constant(String tensor) {
            UnknownFieldSet init = initializers.get(tensor);
            if (init != null) {
                return OnnxProto.scalarValue(init);
            }
            Node p = producerOf(tensor);
            if (p == null || !p.op().equals("Constant")) {
                return null;
            }
            try {
                for (UnknownFieldSet a : OnnxProto.messages(p.proto(), NODE_ATTRIBUTE)) {
                    if (OnnxProto.string(a, OnnxProto.ATTR_NAME).equals("value")) {
                        List<UnknownFieldSet> t = OnnxProto.messages(a, OnnxProto.ATTR_T);
                        return t.isEmpty() ? null : OnnxProto.scalarValue(t.get(0));
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                return null;
            }
            return null;
        }

        private List<Long> ints(Node n, String attribute) {
            try {
                for (UnknownFieldSet a : OnnxProto.messages(n.proto(), NODE_ATTRIBUTE)) {
                    if (OnnxProto.string(a, OnnxProto.ATTR_NAME).equals(attribute)) {
                        List<Long> v = new ArrayList<>(a.getField(OnnxProto.ATTR_INTS).getVarintList());
                        v.addAll(a.getField(OnnxProto.ATTR_I).getVarintList());
                        for (ByteString packed : a.getField(OnnxProto.ATTR_INTS).getLengthDelimitedList()) {
                            com.google.protobuf.CodedInputStream in = packed.newCodedInput();
                            while (!in.isAtEnd()) {
                                v.add(in.readInt64());
                            }
                        }
                        return v;
                    }
                }
            } catch (java.io.IOException e) {
                throw new Refusal("cannot read an attribute of a " + n.op() + " node");
            }
            return List.of();
        }

        /** One layer's attention, as found. */
        private record Layer(int keyConcat, int valueConcat, int merge, String query, String newKey, String newValue,
                String output, float scale) {}

        Result rewrite(int layers, int heads, int kvHeads) {
            List<Layer> found = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                found.add(layer(l));
            }
            Set<Integer> removed = new HashSet<>();
            Map<Integer, List<UnknownFieldSet>> insertedAt = new HashMap<>();
            for (int l = 0; l < layers; l++) {
                Layer a = found.get(l);
                removed.add(a.keyConcat());
                removed.add(a.valueConcat());
                removed.add(a.merge());
                String p = "batchwise/gqa/" + l + "/";
                List<UnknownFieldSet> added = new ArrayList<>();
                String q = toBsd(added, p + "q", a.query());
                String k = toBsd(added, p + "k", a.newKey());
                String v = toBsd(added, p + "v", a.newValue());
                added.add(OnnxProto.node(MS_DOMAIN, "GroupQueryAttention", p + "attention",
                        List.of(q, k, v, pastName(l, false), pastName(l, true), SEQLENS, TOTAL),
                        List.of(a.output(), presentName(l, false), presentName(l, true)),
                        OnnxProto.intAttribute("num_heads", heads), OnnxProto.intAttribute("kv_num_heads", kvHeads),
                        OnnxProto.floatAttribute("scale", a.scale())));
                insertedAt.put(a.merge(), added);
            }
            List<UnknownFieldSet> out = new ArrayList<>();
            List<List<String>> outInputs = new ArrayList<>();
            List<List<String>> outOutputs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (UnknownFieldSet n : insertedAt.getOrDefault(i, List.of())) {
                    out.add(n);
                    outInputs.add(OnnxProto.strings(n, NODE_INPUT));
                    outOutputs.add(OnnxProto.strings(n, NODE_OUTPUT));
                }
                if (!removed.contains(i)) {
                    out.add(nodes.get(i).proto());
                    outInputs.add(nodes.get(i).inputs());
                    outOutputs.add(nodes.get(i).outputs());
                }
            }
            return Result.ok(build(out, outInputs, outOutputs, layers));
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
            int pv = matMulAlong(presentName(l, true), 1, where + "'s values", false);
            // the keys' way: repeated heads, the one transpose of Q Kᵀ, and maybe a scale
            double[] scale = {1};
            int qk = matMulAlongKeys(presentName(l, false), scale, where);
            Node qkNode = nodes.get(qk);
            String query = qkNode.in(0);
            for (Node p = producerOf(query); p != null && p.op().equals("Mul"); p = producerOf(query)) {
                Double c0 = constant(p.in(0));
                Double c1 = constant(p.in(1));
                if (c0 == null && c1 == null) {
                    break;
                }
                scale[0] *= c0 != null ? c0 : c1;
                query = c0 != null ? p.in(1) : p.in(0);
            }
            String softmaxOut = toSoftmax(qkNode.outputs().get(0), scale, where);
            String probs = nodes.get(pv).in(0);
            while (!probs.equals(softmaxOut)) {
                Node p = producerOf(probs);
                if (p == null || !(p.op().equals("Cast") || p.op().equals("Identity"))) {
                    throw new Refusal(where + ": its values are not weighted by its softmax");
                }
                probs = p.in(0);
            }
            List<Integer> t = dataConsumers(nodes.get(pv).outputs().get(0));
            if (t.size() != 1 || !nodes.get(t.get(0)).op().equals("Transpose")
                    || !ints(nodes.get(t.get(0)), "perm").equals(List.of(0L, 2L, 1L, 3L))) {
                throw new Refusal(where + ": its heads are not merged by Transpose(0, 2, 1, 3)");
            }
            List<Integer> r = dataConsumers(nodes.get(t.get(0)).outputs().get(0));
            if (r.size() != 1 || !nodes.get(r.get(0)).op().equals("Reshape")) {
                throw new Refusal(where + ": its merged heads are not reshaped");
            }
            if (!(scale[0] > 0) || Double.isInfinite(scale[0])) {
                throw new Refusal(where + ": its attention scale " + scale[0] + " is not a positive number");
            }
            return new Layer(producer.get(presentName(l, false)), producer.get(presentName(l, true)), r.get(0), query,
                    keyConcat.in(1), valueConcat.in(1), nodes.get(r.get(0)).outputs().get(0), (float) scale[0]);
        }

        private Node concatOf(int l, boolean value) {
            Node c = producerOf(presentName(l, value));
            if (c == null || !c.op().equals("Concat") || c.inputs().size() != 2
                    || !c.in(0).equals(pastName(l, value))) {
                throw new Refusal(presentName(l, value) + " is not Concat(" + pastName(l, value) + ", new)");
            }
            List<Long> axis = ints(c, "axis");
            if (axis.size() != 1 || (axis.get(0) != 2 && axis.get(0) != -2)) {
                throw new Refusal(presentName(l, value) + " is not concatenated on the sequence axis");
            }
            return c;
        }

        /** The one MatMul that takes {@code tensor}, through ops that repeat heads, as its input {@code side}. */
        private int matMulAlong(String tensor, int side, String what, boolean allowTranspose) {
            String at = tensor;
            while (true) {
                List<Integer> uses = dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(what + ": " + at + " has " + uses.size() + " uses where one was expected");
                }
                Node n = nodes.get(uses.get(0));
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
                List<Integer> uses = dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(where + "'s keys: " + at + " has " + uses.size() + " uses where one was expected");
                }
                Node n = nodes.get(uses.get(0));
                if (n.op().equals("MatMul") && n.in(1).equals(at) && transposed) {
                    return uses.get(0);
                }
                if (n.op().equals("Transpose") && !transposed
                        && ints(n, "perm").equals(List.of(0L, 1L, 3L, 2L))) {
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
                return constant(n.in(1));
            }
            return n.in(1).equals(at) ? constant(n.in(0)) : null;
        }

        /** Follows Q Kᵀ to its Softmax over the last axis, reading the scale and passing the mask; its output. */
        private String toSoftmax(String scores, double[] scale, String where) {
            String at = scores;
            while (true) {
                List<Integer> uses = dataConsumers(at);
                if (uses.size() != 1) {
                    throw new Refusal(where + "'s scores have " + uses.size() + " uses where one was expected");
                }
                Node n = nodes.get(uses.get(0));
                switch (n.op()) {
                    case "Softmax" -> {
                        List<Long> axis = ints(n, "axis");
                        if (!axis.isEmpty() && axis.get(0) != -1 && axis.get(0) != 3) {
                            throw new Refusal(where + "'s softmax is not over the keys");
                        }
                        return n.outputs().get(0);
                    }
                    case "Div" -> {
                        Double c = n.in(0).equals(at) ? constant(n.in(1)) : null;
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
                        if (n.op().equals("Add") && constant(n.in(0).equals(at) ? n.in(1) : n.in(0)) != null) {
                            throw new Refusal(where + "'s scores have a constant added");
                        }
                    }
                    default -> throw new Refusal(where + "'s scores go through " + n.op() + " before the softmax");
                }
                at = n.outputs().get(0);
            }
        }

        private byte[] build(List<UnknownFieldSet> kept, List<List<String>> inputs, List<List<String>> outputs,
                int layers) {
            try {
                Set<String> graphOutputs = new HashSet<>();
                for (UnknownFieldSet o : OnnxProto.messages(graph, GRAPH_OUTPUT)) {
                    graphOutputs.add(OnnxProto.string(o, VALUE_INFO_NAME));
                }
                // keep only the nodes something still needs, from the outputs back
                Set<String> needed = new HashSet<>(graphOutputs);
                boolean[] live = new boolean[kept.size()];
                for (int i = kept.size() - 1; i >= 0; i--) {
                    if (outputs.get(i).stream().anyMatch(needed::contains)) {
                        live[i] = true;
                        needed.addAll(inputs.get(i));
                    }
                }
                for (int l = 0; l < layers; l++) {
                    for (boolean v : new boolean[] {false, true}) {
                        for (int i = 0; i < kept.size(); i++) {
                            if (live[i] && inputs.get(i).contains(presentName(l, v))) {
                                throw new Refusal("something besides attention reads " + presentName(l, v));
                            }
                        }
                    }
                }
                List<UnknownFieldSet> liveNodes = new ArrayList<>();
                Set<String> produced = new HashSet<>();
                for (int i = 0; i < kept.size(); i++) {
                    if (live[i]) {
                        liveNodes.add(kept.get(i));
                        produced.addAll(outputs.get(i));
                    }
                }
                List<UnknownFieldSet> graphInputs = new ArrayList<>();
                for (UnknownFieldSet in : OnnxProto.messages(graph, GRAPH_INPUT)) {
                    String name = OnnxProto.string(in, VALUE_INFO_NAME);
                    if (needed.contains(name)) {
                        graphInputs.add(in);
                    } else if (!initializers.containsKey(name) && !name.equals("attention_mask")) {
                        throw new Refusal("the rewritten graph would no longer read its input " + name);
                    }
                }
                graphInputs.add(OnnxProto.valueInfo(SEQLENS, OnnxProto.INT32, "batch_size"));
                graphInputs.add(OnnxProto.valueInfo(TOTAL, OnnxProto.INT32));
                List<UnknownFieldSet> valueInfo = new ArrayList<>();
                for (UnknownFieldSet v : OnnxProto.messages(graph, GRAPH_VALUE_INFO)) {
                    if (produced.contains(OnnxProto.string(v, VALUE_INFO_NAME))) {
                        valueInfo.add(v);
                    }
                }
                UnknownFieldSet newGraph = graph.toBuilder()
                        .clearField(GRAPH_NODE).addField(GRAPH_NODE, OnnxProto.messagesField(liveNodes))
                        .clearField(GRAPH_INPUT).addField(GRAPH_INPUT, OnnxProto.messagesField(graphInputs))
                        .clearField(GRAPH_VALUE_INFO).addField(GRAPH_VALUE_INFO, OnnxProto.messagesField(valueInfo))
                        .mergeField(GRAPH_INITIALIZER, OnnxProto.messagesField(List.of(
                                OnnxProto.int64Vector(BSD_SHAPE, 0, 0, -1))))
                        .build();
                UnknownFieldSet ms = UnknownFieldSet.newBuilder()
                        .addField(OnnxProto.OPSET_DOMAIN, OnnxProto.bytesField(List.of(ByteString.copyFromUtf8(MS_DOMAIN))))
                        .addField(OnnxProto.OPSET_VERSION, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                        .build();
                return model.toBuilder()
                        .clearField(MODEL_GRAPH)
                        .addField(MODEL_GRAPH, OnnxProto.bytesField(List.of(newGraph.toByteString())))
                        .mergeField(MODEL_OPSET_IMPORT, OnnxProto.messagesField(List.of(ms)))
                        .build()
                        .toByteArray();
            } catch (InvalidProtocolBufferException e) {
                throw new Refusal("cannot read the graph: " + e.getMessage());
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
