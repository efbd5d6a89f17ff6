package dev.batchwise.model;

import static dev.batchwise.model.OnnxProto.GRAPH_INITIALIZER;
import static dev.batchwise.model.OnnxProto.GRAPH_NODE;
import static dev.batchwise.model.OnnxProto.GRAPH_OUTPUT;
import static dev.batchwise.model.OnnxProto.GRAPH_VALUE_INFO;
import static dev.batchwise.model.OnnxProto.MODEL_GRAPH;
import static dev.batchwise.model.OnnxProto.MODEL_METADATA_PROPS;
import static dev.batchwise.model.OnnxProto.NODE_DOMAIN;
import static dev.batchwise.model.OnnxProto.NODE_INPUT;
import static dev.batchwise.model.OnnxProto.NODE_NAME;
import static dev.batchwise.model.OnnxProto.NODE_OP_TYPE;
import static dev.batchwise.model.OnnxProto.NODE_OUTPUT;
import static dev.batchwise.model.OnnxProto.VALUE_INFO_NAME;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a dynamically quantised ONNX model batch-invariant: each {@code DynamicQuantizeLinear}
 * (one scale and zero point for the whole tensor, so for the whole batch, padding included) becomes a
 * per-row quantisation over the last axis, so that every token's activation row has its own scale
 * and nothing about a record depends on the other records of its batch.
 *
 * <p>For an input {@code x} of shape {@code [..., K]} the replacement computes
 * <pre>
 *   scale = max(ReduceMax(|x|, last axis, keepdims), 1e-30) / 127      shape [..., 1]
 *   q     = uint8(Round(x / scale) + 128)                              in 1..255
 *   zero  = 128 (a uint8 scalar)
 * </pre>
 * under the original output names. The zero point stays one scalar because ONNX Runtime's CPU
 * {@code MatMulInteger} accepts only a scalar zero point for its first input, and its fast u8s8 kernel
 * is kept; the per-row scale reaches the product through the model's existing
 * {@code Mul(scale, weight scale)} and {@code Mul(Cast(product), ...)}, which broadcast
 * {@code [..., M, 1]} against {@code [..., M, N]}. Symmetric quantisation with 255 levels around 128
 * loses one level of the 256 an asymmetric per-row range would have; it needs no correction term.
 *
 * <p>A {@code DynamicQuantizeLinear} is rewritten only when its quantised output and zero point feed
 * nothing but {@code MatMulInteger} (as its first input and first input's zero point), its scale
 * feeds nothing but {@code Mul}, and none of them is a graph output; others are left as they are, and
 * a model with none to rewrite is not copied. Sub-graphs (in {@code If} or {@code Loop} nodes) are
 * not looked into, and a model with external data files is run as it is.
 */
final class PerRowQuantization {

    /** Part of the cache key: a change to the rewrite must change this, so no stale rewrite is served. */
    static final String VERSION = "1";
    static final String METADATA_KEY = "batchwise.per_row_quantization";
    /**
     * With the system property {@code batchwise.quantization=per-tensor} models run with their own
     * per-tensor dynamic quantisation (not batch-invariant), to compare against.
     */
    static final String PROPERTY = "batchwise.quantization";

    private static final byte[] MARKER = "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);

    private PerRowQuantization() {}

    /**
     * The model file to run: {@code model} itself when it has no dynamic quantisation to rewrite,
     * else its per-row rewrite, made once and kept in the cache under the SHA-256 of the source file's
     * content (so a changed source is rewritten again, never served stale).
     *
     * @throws IOException when the model cannot be read or the cache cannot be written
     */
    static Path forRunning(Path model, ModelCache cache) throws IOException {
        if ("per-tensor".equals(System.getProperty(PROPERTY))) {
            return model;
        }
        byte[] source = Files.readAllBytes(model);
        if (indexOf(source, MARKER) < 0) {
            return model;
        }
        String digest = sha256(source);
        String relative = "models/per-row-v" + VERSION + "/" + digest + ".onnx";
        Path done = cache.root().resolve(relative);
        if (Files.isRegularFile(done)) {
            return done;
        }
        byte[] rewritten;
        try {
            rewritten = rewrite(source, "source sha256 " + digest);
        } catch (InvalidProtocolBufferException e) {
            return model; // not an ONNX model after all: the engine says so when it loads it
        }
        if (rewritten == null) {
            return model;
        }
        return cache.derive(relative, out -> out.write(rewritten));
    }

    /**
     * The rewritten model, or {@code null} when it has nothing to rewrite.
     *
     * @param note recorded in the model's metadata under {@link #METADATA_KEY}
     * @throws InvalidProtocolBufferException when the bytes are not an ONNX model
     */
    static byte[] rewrite(byte[] modelBytes, String note) throws InvalidProtocolBufferException {
        UnknownFieldSet model = UnknownFieldSet.parseFrom(modelBytes);
        long opset = OnnxProto.defaultOpset(model);
        List<ByteString> graphs = model.getField(MODEL_GRAPH).getLengthDelimitedList();
        if (opset < 11 || graphs.size() != 1) { // Round, which the rewrite uses, is opset 11
            return null;
        }
        UnknownFieldSet graph = OnnxProto.parse(graphs.get(0));
        for (UnknownFieldSet t : OnnxProto.messages(graph, GRAPH_INITIALIZER)) {
            if (OnnxProto.varint(t, OnnxProto.TENSOR_DATA_LOCATION, 0) == OnnxProto.EXTERNAL) {
                return null; // its data files are named relative to the source; a copy elsewhere would lose them
            }
        }
        List<UnknownFieldSet> nodes = OnnxProto.messages(graph, GRAPH_NODE);
        Map<String, List<Use>> uses = new HashMap<>();
        for (UnknownFieldSet node : nodes) {
            List<String> inputs = OnnxProto.strings(node, NODE_INPUT);
            for (int i = 0; i < inputs.size(); i++) {
                uses.computeIfAbsent(inputs.get(i), k -> new ArrayList<>()).add(new Use(opType(node), i));
            }
        }
        Set<String> graphOutputs = new HashSet<>();
        for (UnknownFieldSet out : OnnxProto.messages(graph, GRAPH_OUTPUT)) {
            graphOutputs.add(OnnxProto.string(out, VALUE_INFO_NAME));
        }

        List<UnknownFieldSet> newNodes = new ArrayList<>(nodes.size() + 8 * 32);
        List<UnknownFieldSet> initializers = new ArrayList<>();
        Set<String> reshaped = new HashSet<>(); // tensors whose shape the rewrite changes
        String tiny = "batchwise/rowq/tiny";
        String levels = "batchwise/rowq/127";
        String offset = "batchwise/rowq/128";
        String axes = "batchwise/rowq/axes";
        int rewritten = 0;
        for (UnknownFieldSet node : nodes) {
            if (!eligible(node, uses, graphOutputs)) {
                newNodes.add(node);
                continue;
            }
            rewritten++;
            String x = OnnxProto.strings(node, NODE_INPUT).get(0);
            List<String> outs = OnnxProto.strings(node, NODE_OUTPUT);
            String q = outs.get(0);
            String scale = outs.get(1);
            String zero = outs.get(2);
            String name = OnnxProto.string(node, NODE_NAME);
            String p = (name.isEmpty() ? q : name) + "/rowq/";
            newNodes.add(OnnxProto.node("Abs", p + "abs", List.of(x), List.of(p + "abs")));
            if (opset >= 18) {
                newNodes.add(OnnxProto.node("ReduceMax", p + "max", List.of(p + "abs", axes), List.of(p + "max"),
                        OnnxProto.intAttribute("keepdims", 1)));
            } else {
                newNodes.add(OnnxProto.node("ReduceMax", p + "max", List.of(p + "abs"), List.of(p + "max"),
                        OnnxProto.intsAttribute("axes", -1), OnnxProto.intAttribute("keepdims", 1)));
            }
            newNodes.add(OnnxProto.node("Max", p + "guard", List.of(p + "max", tiny), List.of(p + "guarded")));
            newNodes.add(OnnxProto.node("Div", p + "scale", List.of(p + "guarded", levels), List.of(scale)));
            newNodes.add(OnnxProto.node("Div", p + "div", List.of(x, scale), List.of(p + "div")));
            newNodes.add(OnnxProto.node("Round", p + "round", List.of(p + "div"), List.of(p + "round")));
            newNodes.add(OnnxProto.node("Add", p + "shift", List.of(p + "round", offset), List.of(p + "shifted")));
            newNodes.add(OnnxProto.node("Cast", p + "cast", List.of(p + "shifted"), List.of(q),
                    OnnxProto.intAttribute("to", OnnxProto.UINT8)));
            initializers.add(OnnxProto.uint8Scalar(zero, 128));
            reshaped.add(scale);
            reshaped.addAll(mulOutputs(nodes, scale));
        }
        if (rewritten == 0) {
            return null;
        }
        initializers.add(OnnxProto.floatScalar(tiny, 1e-30f));
        initializers.add(OnnxProto.floatScalar(levels, 127f));
        initializers.add(OnnxProto.floatScalar(offset, 128f));
        if (opset >= 18) {
            initializers.add(OnnxProto.int64Vector(axes, -1));
        }
        List<UnknownFieldSet> valueInfo = new ArrayList<>();
        for (UnknownFieldSet v : OnnxProto.messages(graph, GRAPH_VALUE_INFO)) {
            if (!reshaped.contains(OnnxProto.string(v, VALUE_INFO_NAME))) {
                valueInfo.add(v); // shape hints for tensors the rewrite reshapes would contradict it
            }
        }
        UnknownFieldSet newGraph = graph.toBuilder()
                .clearField(GRAPH_NODE).addField(GRAPH_NODE, OnnxProto.messagesField(newNodes))
                .mergeField(GRAPH_INITIALIZER, OnnxProto.messagesField(initializers))
                .clearField(GRAPH_VALUE_INFO).addField(GRAPH_VALUE_INFO, OnnxProto.messagesField(valueInfo))
                .build();
        return model.toBuilder()
                .clearField(MODEL_GRAPH).addField(MODEL_GRAPH, OnnxProto.bytesField(List.of(newGraph.toByteString())))
                .mergeField(MODEL_METADATA_PROPS, OnnxProto.messagesField(List.of(OnnxProto.entry(METADATA_KEY,
                        "version " + VERSION + ", " + rewritten + " DynamicQuantizeLinear per row; " + note))))
                .build()
                .toByteArray();
    }

    private record Use(String opType, int inputIndex) {}

    private static boolean eligible(UnknownFieldSet node, Map<String, List<Use>> uses, Set<String> graphOutputs) {
        if (!opType(node).equals("DynamicQuantizeLinear")) {
            return false;
        }
        List<String> inputs = OnnxProto.strings(node, NODE_INPUT);
        List<String> outs = OnnxProto.strings(node, NODE_OUTPUT);
        if (inputs.size() != 1 || outs.size() != 3 || outs.stream().anyMatch(o -> o.isEmpty() || graphOutputs.contains(o))) {
            return false;
        }
        return usedOnlyAs(uses.get(outs.get(0)), "MatMulInteger", 0)
                && usedOnlyAs(uses.get(outs.get(2)), "MatMulInteger", 2)
                && usedOnlyAs(uses.get(outs.get(1)), "Mul", -1);
    }

    /** Whether every use is by {@code opType} at {@code index} (any index when negative); unused is fine. */
    private static boolean usedOnlyAs(List<Use> uses, String opType, int index) {
        return uses == null || uses.stream().allMatch(u -> u.opType().equals(opType) && (index < 0 || u.inputIndex() == index));
    }

    private static List<String> mulOutputs(List<UnknownFieldSet> nodes, String input) {
        List<String> out = new ArrayList<>();
        for (UnknownFieldSet n : nodes) {
            if (opType(n).equals("Mul") && OnnxProto.strings(n, NODE_INPUT).contains(input)) {
                out.addAll(OnnxProto.strings(n, NODE_OUTPUT));
            }
        }
        return out;
    }

    /** Only nodes of the default domain: a custom domain's DynamicQuantizeLinear is not ONNX's. */
    private static String opType(UnknownFieldSet node) {
        String domain = OnnxProto.string(node, NODE_DOMAIN);
        return domain.isEmpty() || domain.equals("ai.onnx") ? OnnxProto.string(node, NODE_OP_TYPE) : "";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = 0, last = haystack.length - needle.length; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
