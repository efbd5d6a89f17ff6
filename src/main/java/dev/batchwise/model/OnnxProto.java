package dev.batchwise.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The few ONNX protobuf messages a graph rewrite needs, read and written as protobuf field sets by
 * field number (from onnx.proto, IR version 3 and later), without generated classes. Fields the
 * rewrite does not know are carried through unchanged.
 */
final class OnnxProto {

    // ModelProto
    static final int MODEL_GRAPH = 7;
    static final int MODEL_OPSET_IMPORT = 8;
    static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto
    static final int OPSET_DOMAIN = 1;
    static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    static final int ENTRY_KEY = 1;
    static final int ENTRY_VALUE = 2;
    // GraphProto
    static final int GRAPH_NODE = 1;
    static final int GRAPH_INITIALIZER = 5;
    static final int GRAPH_OUTPUT = 12;
    static final int GRAPH_VALUE_INFO = 13;
    // NodeProto
    static final int NODE_INPUT = 1;
    static final int NODE_OUTPUT = 2;
    static final int NODE_NAME = 3;
    static final int NODE_OP_TYPE = 4;
    static final int NODE_ATTRIBUTE = 5;
    static final int NODE_DOMAIN = 7;
    // AttributeProto and its AttributeType values
    static final int ATTR_NAME = 1;
    static final int ATTR_F = 2;
    static final int ATTR_I = 3;
    static final int ATTR_T = 5;
    static final int ATTR_INTS = 8;
    static final int ATTR_TYPE = 20;
    static final int ATTR_TYPE_FLOAT = 1;
    static final int ATTR_TYPE_INT = 2;
    static final int ATTR_TYPE_INTS = 7;
    // TensorProto and its DataType values
    static final int TENSOR_DIMS = 1;
    static final int TENSOR_DATA_TYPE = 2;
    static final int TENSOR_FLOAT_DATA = 4;
    static final int TENSOR_DOUBLE_DATA = 10;
    static final int TENSOR_NAME = 8;
    static final int TENSOR_RAW_DATA = 9;
    static final int TENSOR_DATA_LOCATION = 14;
    static final int EXTERNAL = 1;
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;
    // GraphProto.input; ValueInfoProto
    static final int GRAPH_INPUT = 11;
    static final int VALUE_INFO_NAME = 1;
    static final int VALUE_INFO_TYPE = 2;
    // ModelProto.ir_version
    static final int MODEL_IR_VERSION = 1;

    private OnnxProto() {}

    /** The default (ai.onnx) domain's opset a model imports, or 0. */
    static long defaultOpset(UnknownFieldSet model) throws InvalidProtocolBufferException {
        for (UnknownFieldSet op : messages(model, MODEL_OPSET_IMPORT)) {
            String domain = string(op, OPSET_DOMAIN);
            if (domain.isEmpty() || domain.equals("ai.onnx")) {
                return varint(op, OPSET_VERSION, 0);
            }
        }
        return 0;
    }

    static UnknownFieldSet parse(ByteString bytes) throws InvalidProtocolBufferException {
        return UnknownFieldSet.parseFrom(bytes);
    }

    /** The messages of a repeated (or single) message field, parsed. */
    static List<UnknownFieldSet> messages(UnknownFieldSet m, int field) throws InvalidProtocolBufferException {
        List<UnknownFieldSet> out = new ArrayList<>();
        for (ByteString b : m.getField(field).getLengthDelimitedList()) {
            out.add(UnknownFieldSet.parseFrom(b));
        }
        return out;
    }

    static List<String> strings(UnknownFieldSet m, int field) {
        return m.getField(field).getLengthDelimitedList().stream().map(ByteString::toStringUtf8).toList();
    }

    /** A singular string field, or "" when absent (proto3's default). */
    static String string(UnknownFieldSet m, int field) {
        List<ByteString> values = m.getField(field).getLengthDelimitedList();
        return values.isEmpty() ? "" : values.get(values.size() - 1).toStringUtf8();
    }

    /** A singular integer field, or {@code absent}. */
    static long varint(UnknownFieldSet m, int field, long absent) {
        List<Long> values = m.getField(field).getVarintList();
        return values.isEmpty() ? absent : values.get(values.size() - 1);
    }

    static UnknownFieldSet.Field bytesField(List<ByteString> values) {
        UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
        values.forEach(f::addLengthDelimited);
        return f.build();
    }

    static UnknownFieldSet.Field messagesField(List<UnknownFieldSet> values) {
        return bytesField(values.stream().map(UnknownFieldSet::toByteString).toList());
    }

    private static UnknownFieldSet.Field stringsField(List<String> values) {
        return bytesField(values.stream().map(ByteString::copyFromUtf8).toList());
    }

    private static UnknownFieldSet.Field varintField(long value) {
        return UnknownFieldSet.Field.newBuilder().addVarint(value).build();
    }

    /** A node of the default (ai.onnx) domain. */
    static UnknownFieldSet node(String opType, String name, List<String> inputs, List<String> outputs,
            UnknownFieldSet... attributes) {
        UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder()
                .addField(NODE_INPUT, stringsField(inputs))
                .addField(NODE_OUTPUT, stringsField(outputs))
                .addField(NODE_NAME, stringsField(List.of(name)))
                .addField(NODE_OP_TYPE, stringsField(List.of(opType)));
        if (attributes.length > 0) {
            b.addField(NODE_ATTRIBUTE, messagesField(List.of(attributes)));
        }
        return b.build();
    }

    /** A node of another domain than ai.onnx ({@code com.microsoft} for ONNX Runtime's contrib operators). */
    static UnknownFieldSet node(String domain, String opType, String name, List<String> inputs, List<String> outputs,
            UnknownFieldSet... attributes) {
        return node(opType, name, inputs, outputs, attributes).toBuilder()
                .addField(NODE_DOMAIN, stringsField(List.of(domain)))
                .build();
    }

    /** The node with other inputs. */
    static UnknownFieldSet withInputs(UnknownFieldSet node, List<String> inputs) {
        return node.toBuilder().clearField(NODE_INPUT).addField(NODE_INPUT, stringsField(inputs)).build();
    }

    static UnknownFieldSet floatAttribute(String name, float value) {
        return UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, stringsField(List.of(name)))
                .addField(ATTR_TYPE, varintField(ATTR_TYPE_FLOAT))
                .addField(ATTR_F, UnknownFieldSet.Field.newBuilder().addFixed32(Float.floatToRawIntBits(value)).build())
                .build();
    }

    /**
     * The one value of a float or double tensor of one element (a scalar, or shape [1]), or
     * {@code null} when the tensor is not one.
     */
    static Double scalarValue(UnknownFieldSet tensor) {
        long type = varint(tensor, TENSOR_DATA_TYPE, 0);
        long elements = 1;
        for (long d : tensor.getField(TENSOR_DIMS).getVarintList()) {
            elements *= d;
        }
        if (elements != 1 || varint(tensor, TENSOR_DATA_LOCATION, 0) == EXTERNAL) {
            return null;
        }
        List<ByteString> raw = tensor.getField(TENSOR_RAW_DATA).getLengthDelimitedList();
        if (!raw.isEmpty()) {
            ByteBuffer b = raw.get(raw.size() - 1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            return type == FLOAT && b.remaining() == 4 ? (double) b.getFloat(0)
                    : type == DOUBLE && b.remaining() == 8 ? b.getDouble(0) : null;
        }
        if (type == FLOAT) {
            UnknownFieldSet.Field f = tensor.getField(TENSOR_FLOAT_DATA);
            if (!f.getFixed32List().isEmpty()) {
                return (double) Float.intBitsToFloat(f.getFixed32List().get(0));
            }
            if (!f.getLengthDelimitedList().isEmpty() && f.getLengthDelimitedList().get(0).size() == 4) {
                return (double) f.getLengthDelimitedList().get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                        .getFloat(0);
            }
        } else if (type == DOUBLE) {
            UnknownFieldSet.Field f = tensor.getField(TENSOR_DOUBLE_DATA);
            if (!f.getFixed64List().isEmpty()) {
                return Double.longBitsToDouble(f.getFixed64List().get(0));
            }
            if (!f.getLengthDelimitedList().isEmpty() && f.getLengthDelimitedList().get(0).size() == 8) {
                return f.getLengthDelimitedList().get(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble(0);
            }
        }
        return null;
    }

    static UnknownFieldSet intAttribute(String name, long value) {
        return UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, stringsField(List.of(name)))
                .addField(ATTR_TYPE, varintField(ATTR_TYPE_INT))
                .addField(ATTR_I, varintField(value))
                .build();
    }

    static UnknownFieldSet intsAttribute(String name, long... values) {
        UnknownFieldSet.Field.Builder ints = UnknownFieldSet.Field.newBuilder();
        for (long v : values) {
            ints.addVarint(v);
        }
        return UnknownFieldSet.newBuilder()
                .addField(ATTR_NAME, stringsField(List.of(name)))
                .addField(ATTR_TYPE, varintField(ATTR_TYPE_INTS))
                .addField(ATTR_INTS, ints.build())
                .build();
    }

    static UnknownFieldSet floatScalar(String name, float value) {
        ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        return tensor(name, FLOAT, raw.array());
    }

    static UnknownFieldSet uint8Scalar(String name, int value) {
        return tensor(name, UINT8, new byte[] {(byte) value});
    }

    /** A one-dimensional int64 tensor. */
    static UnknownFieldSet int64Vector(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        return UnknownFieldSet.newBuilder()
                .addField(TENSOR_DIMS, varintField(values.length))
                .addField(TENSOR_DATA_TYPE, varintField(INT64))
                .addField(TENSOR_NAME, stringsField(List.of(name)))
                .addField(TENSOR_RAW_DATA, bytesField(List.of(ByteString.copyFrom(raw.array()))))
                .build();
    }


    static UnknownFieldSet entry(String key, String value) {
        return UnknownFieldSet.newBuilder()
                .addField(ENTRY_KEY, stringsField(List.of(key)))
                .addField(ENTRY_VALUE, stringsField(List.of(value)))
                .build();
    }

    /**
     * A tensor's ValueInfoProto (TypeProto.tensor_type: elem_type, shape); each dimension a number
     * (dim_value) or a name (dim_param).
     */
    static UnknownFieldSet valueInfo(String name, int elemType, Object... dims) {
        List<UnknownFieldSet> dimensions = new ArrayList<>();
        for (Object d : dims) {
            dimensions.add(d instanceof Number n
                    ? UnknownFieldSet.newBuilder().addField(1, varintField(n.longValue())).build()
                    : UnknownFieldSet.newBuilder().addField(2, stringsField(List.of(d.toString()))).build());
        }
        UnknownFieldSet shape = UnknownFieldSet.newBuilder().addField(1, messagesField(dimensions)).build();
        UnknownFieldSet tensorType = UnknownFieldSet.newBuilder()
                .addField(1, varintField(elemType))
                .addField(2, messagesField(List.of(shape))).build();
        UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(1, messagesField(List.of(tensorType))).build();
        return UnknownFieldSet.newBuilder()
                .addField(VALUE_INFO_NAME, stringsField(List.of(name)))
                .addField(VALUE_INFO_TYPE, messagesField(List.of(type)))
                .build();
    }

    /** A tensor with dims from its little-endian bytes. */
    static UnknownFieldSet tensor(String name, int dataType, byte[] raw, long... dims) {
        UnknownFieldSet.Field.Builder d = UnknownFieldSet.Field.newBuilder();
        for (long v : dims) {
            d.addVarint(v);
        }
        return UnknownFieldSet.newBuilder()
                .addField(TENSOR_DIMS, d.build())
                .addField(TENSOR_DATA_TYPE, varintField(dataType))
                .addField(TENSOR_NAME, stringsField(List.of(name)))
                .addField(TENSOR_RAW_DATA, bytesField(List.of(ByteString.copyFrom(raw))))
                .build();
    }

    /** A model of one graph on the given default-domain opset. */
    static byte[] model(long irVersion, long opset, UnknownFieldSet graph) {
        UnknownFieldSet op = UnknownFieldSet.newBuilder().addField(OPSET_VERSION, varintField(opset)).build();
        return UnknownFieldSet.newBuilder()
                .addField(MODEL_IR_VERSION, varintField(irVersion))
                .addField(MODEL_GRAPH, bytesField(List.of(graph.toByteString())))
                .addField(MODEL_OPSET_IMPORT, messagesField(List.of(op)))
                .build()
                .toByteArray();
    }
}
