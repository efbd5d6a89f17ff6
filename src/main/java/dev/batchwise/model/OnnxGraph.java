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
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An ONNX model's top graph, read for a rewrite: its nodes in order, who makes and who reads each
 * tensor, the value of small constants, and a way to write the graph again from a new node list,
 * pruned to what the outputs need. A graph with external data files or sub-graphs is refused.
 * Not thread-safe; one rewrite's.
 */
final class OnnxGraph {

    /** Why a rewrite cannot go on; its message is the reason the caller reports. */
    static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** A node: its proto, its op type (prefixed with its domain when not ai.onnx), inputs and outputs. */
    record Node(UnknownFieldSet proto, String op, List<String> inputs, List<String> outputs) {
        String in(int i) {
            return i < inputs.size() ? inputs.get(i) : "";
        }
    }

    private final UnknownFieldSet model;
    private final UnknownFieldSet graph;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Map<String, UnknownFieldSet> constants = new HashMap<>();
    private final Set<String> initializerNames = new HashSet<>();

    OnnxGraph(byte[] bytes) throws InvalidProtocolBufferException {
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
            String name = OnnxProto.string(t, OnnxProto.TENSOR_NAME);
            initializerNames.add(name);
            long type = OnnxProto.varint(t, OnnxProto.TENSOR_DATA_TYPE, 0);
            if (type == OnnxProto.FLOAT || type == OnnxProto.DOUBLE) {
                constants.put(name, t);
            }
        }
        for (UnknownFieldSet n : OnnxProto.messages(graph, GRAPH_NODE)) {
            String domain = OnnxProto.string(n, NODE_DOMAIN);
            String op = domain.isEmpty() || domain.equals("ai.onnx") ? OnnxProto.string(n, NODE_OP_TYPE)
                    : domain + ":" + OnnxProto.string(n, NODE_OP_TYPE);
            if (op.equals("If") || op.equals("Loop") || op.equals("Scan")) {
                throw new Refusal("it has sub-graphs (" + op + ")");
            }
            Node node = new Node(n, op, OnnxProto.strings(n, NODE_INPUT), OnnxProto.strings(n, NODE_OUTPUT));
            int index = nodes.size();
            nodes.add(node);
            for (String o : node.outputs()) {
                producer.put(o, index);
            }
            for (String i : node.inputs()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(index);
            }
        }
    }

    int size() {
        return nodes.size();
    }

    Node node(int index) {
        return nodes.get(index);
    }

    /** The index of the node that makes {@code tensor}, or -1 (a graph input, an initializer, none). */
    int producerIndex(String tensor) {
        return producer.getOrDefault(tensor, -1);
    }

    Node producerOf(String tensor) {
        int i = producerIndex(tensor);
        return i < 0 ? null : nodes.get(i);
    }

    /** The consumers of a tensor that use its values (not only its shape). */
    List<Integer> dataConsumers(String tensor) {
        List<Integer> out = new ArrayList<>();
        for (int i : consumers.getOrDefault(tensor, List.of())) {
            if (!nodes.get(i).op().equals("Shape")) {
                out.add(i);
            }
        }
        return out;
    }

    /** The default domain's opset the model imports, or 0. */
    long opset() throws InvalidProtocolBufferException {
        return OnnxProto.defaultOpset(model);
    }

    /** The value of a one-element float constant (a Constant node or an initializer), else null. */
    Double constant(String tensor) {
        UnknownFieldSet init = constants.get(tensor);
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

    /** An integer or integers attribute of a node (empty when absent). */
    List<Long> ints(Node n, String attribute) {
        try {
            for (UnknownFieldSet a : OnnxProto.messages(n.proto(), NODE_ATTRIBUTE)) {
                if (OnnxProto.string(a, OnnxProto.ATTR_NAME).equals(attribute)) {
                    List<Long> v = new ArrayList<>(a.getField(OnnxProto.ATTR_INTS).getVarintList());
                    v.addAll(a.getField(OnnxProto.ATTR_I).getVarintList());
                    for (ByteString packed : a.getField(OnnxProto.ATTR_INTS).getLengthDelimitedList()) {
                        CodedInputStream in = packed.newCodedInput();
                        while (!in.isAtEnd()) {
                            v.add(in.readInt64());
                        }
                    }
                    return v;
                }
            }
        } catch (IOException e) {
            throw new Refusal("cannot read an attribute of a " + n.op() + " node");
        }
        return List.of();
    }

    /** What a rewrite changes besides the nodes. */
    record Changes(List<UnknownFieldSet> newInputs, List<UnknownFieldSet> newInitializers, String newDomain,
            Predicate<String> droppableInput, Set<String> readByNone) {}

    /**
     * The model with {@code newNodes} (in an order that keeps every input made before it is read) as
     * its graph, pruned from the outputs back: a node nothing needs is left out, and so is a graph
     * input nothing reads, when {@code droppableInput} allows (else the rewrite is refused).
     */
    byte[] write(List<UnknownFieldSet> newNodes, Changes changes) {
        try {
            List<List<String>> inputs = new ArrayList<>();
            List<List<String>> outputs = new ArrayList<>();
            for (UnknownFieldSet n : newNodes) {
                inputs.add(OnnxProto.strings(n, NODE_INPUT));
                outputs.add(OnnxProto.strings(n, NODE_OUTPUT));
            }
            Set<String> needed = new HashSet<>();
            for (UnknownFieldSet o : OnnxProto.messages(graph, GRAPH_OUTPUT)) {
                needed.add(OnnxProto.string(o, VALUE_INFO_NAME));
            }
            boolean[] live = new boolean[newNodes.size()];
            for (int i = newNodes.size() - 1; i >= 0; i--) {
                if (outputs.get(i).stream().anyMatch(needed::contains)) {
                    live[i] = true;
                    needed.addAll(inputs.get(i));
                }
            }
            List<UnknownFieldSet> liveNodes = new ArrayList<>();
            Set<String> produced = new HashSet<>();
            for (int i = 0; i < newNodes.size(); i++) {
                if (live[i]) {
                    for (String read : inputs.get(i)) {
                        if (changes.readByNone().contains(read)) {
                            throw new Refusal("something else still reads " + read);
                        }
                    }
                    liveNodes.add(newNodes.get(i));
                    produced.addAll(outputs.get(i));
                }
            }
            List<UnknownFieldSet> graphInputs = new ArrayList<>();
            for (UnknownFieldSet in : OnnxProto.messages(graph, GRAPH_INPUT)) {
                String name = OnnxProto.string(in, VALUE_INFO_NAME);
                if (needed.contains(name)) {
                    graphInputs.add(in);
                } else if (!initializerNames.contains(name) && !changes.droppableInput().test(name)) {
                    throw new Refusal("the rewritten graph would no longer read its input " + name);
                }
            }
            graphInputs.addAll(changes.newInputs());
            List<UnknownFieldSet> valueInfo = new ArrayList<>();
            for (UnknownFieldSet v : OnnxProto.messages(graph, GRAPH_VALUE_INFO)) {
                if (produced.contains(OnnxProto.string(v, VALUE_INFO_NAME))) {
                    valueInfo.add(v); // shape hints of tensors that are gone or remade would mislead
                }
            }
            UnknownFieldSet newGraph = graph.toBuilder()
                    .clearField(GRAPH_NODE).addField(GRAPH_NODE, OnnxProto.messagesField(liveNodes))
                    .clearField(GRAPH_INPUT).addField(GRAPH_INPUT, OnnxProto.messagesField(graphInputs))
                    .clearField(GRAPH_VALUE_INFO).addField(GRAPH_VALUE_INFO, OnnxProto.messagesField(valueInfo))
                    .mergeField(GRAPH_INITIALIZER, OnnxProto.messagesField(changes.newInitializers()))
                    .build();
            UnknownFieldSet.Builder out = model.toBuilder()
                    .clearField(MODEL_GRAPH)
                    .addField(MODEL_GRAPH, OnnxProto.bytesField(List.of(newGraph.toByteString())));
            if (changes.newDomain() != null) {
                UnknownFieldSet domain = UnknownFieldSet.newBuilder()
                        .addField(OnnxProto.OPSET_DOMAIN,
                                OnnxProto.bytesField(List.of(ByteString.copyFromUtf8(changes.newDomain()))))
                        .addField(OnnxProto.OPSET_VERSION, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                        .build();
                out.mergeField(MODEL_OPSET_IMPORT, OnnxProto.messagesField(List.of(domain)));
            }
            return out.build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new Refusal("cannot read the graph: " + e.getMessage());
        }
    }
}
