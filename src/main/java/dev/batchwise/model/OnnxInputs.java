package dev.batchwise.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The inputs an ONNX model's graph declares, read from the file by streaming past everything else
 * (the weights are skipped, not held), so that a model's input can be checked before it is loaded.
 */
final class OnnxInputs {

    // onnx.proto: ValueInfoProto.type -> TypeProto.tensor_type -> elem_type, shape -> dim -> value | param
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;

    /**
     * One declared input.
     *
     * @param elemType ONNX's TensorProto.DataType (1 float32), 0 when not declared
     * @param dims each axis's size, -1 where it is symbolic or not given
     * @param params each axis's symbolic name, or {@code null}
     */
    record Input(String name, int elemType, long[] dims, String[] params) {
        int rank() {
            return dims.length;
        }
    }

    private OnnxInputs() {}

    /** The graph's inputs that are fed (those that name an initializer, as older exports list them, are not). */
    static List<Input> read(Path file) throws IOException {
        List<Input> inputs = new ArrayList<>();
        Set<String> initializers = new HashSet<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            CodedInputStream model = CodedInputStream.newInstance(in);
            model.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = model.readTag(); tag != 0; tag = model.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == OnnxProto.MODEL_GRAPH
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = model.pushLimit(model.readRawVarint32());
                    graph(model, inputs, initializers);
                    model.popLimit(limit);
                } else {
                    model.skipField(tag);
                }
            }
        }
        inputs.removeIf(i -> initializers.contains(i.name()));
        return inputs;
    }

    private static void graph(CodedInputStream g, List<Input> inputs, Set<String> initializers) throws IOException {
        for (int tag = g.readTag(); tag != 0; tag = g.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == OnnxProto.GRAPH_INPUT) {
                inputs.add(input(UnknownFieldSet.parseFrom(g.readBytes())));
            } else if (field == OnnxProto.GRAPH_INITIALIZER) {
                int limit = g.pushLimit(g.readRawVarint32());
                for (int t = g.readTag(); t != 0; t = g.readTag()) {
                    if (WireFormat.getTagFieldNumber(t) == OnnxProto.TENSOR_NAME) {
                        initializers.add(g.readStringRequireUtf8());
                    } else {
                        g.skipField(t);
                    }
                }
                g.popLimit(limit);
            } else {
                g.skipField(tag);
            }
        }
    }

    private static Input input(UnknownFieldSet valueInfo) throws IOException {
        String name = string(valueInfo, OnnxProto.VALUE_INFO_NAME);
        int elemType = 0;
        List<Long> dims = new ArrayList<>();
        List<String> params = new ArrayList<>();
        UnknownFieldSet type = message(valueInfo, OnnxProto.VALUE_INFO_TYPE);
        UnknownFieldSet tensor = type == null ? null : message(type, TYPE_TENSOR);
        if (tensor != null) {
            List<Long> t = tensor.getField(TENSOR_ELEM_TYPE).getVarintList();
            elemType = t.isEmpty() ? 0 : t.get(0).intValue();
            UnknownFieldSet shape = message(tensor, TENSOR_SHAPE);
            if (shape != null) {
                for (ByteString d : shape.getField(SHAPE_DIM).getLengthDelimitedList()) {
                    UnknownFieldSet dim = UnknownFieldSet.parseFrom(d);
                    List<Long> value = dim.getField(DIM_VALUE).getVarintList();
                    dims.add(value.isEmpty() ? -1L : value.get(0));
                    params.add(dim.hasField(DIM_PARAM) ? string(dim, DIM_PARAM) : null);
                }
            }
        }
        return new Input(name, elemType, dims.stream().mapToLong(Long::longValue).toArray(),
                params.toArray(new String[0]));
    }

    private static UnknownFieldSet message(UnknownFieldSet m, int field) throws IOException {
        List<ByteString> b = m.getField(field).getLengthDelimitedList();
        return b.isEmpty() ? null : UnknownFieldSet.parseFrom(b.get(0));
    }

    private static String string(UnknownFieldSet m, int field) {
        List<ByteString> b = m.getField(field).getLengthDelimitedList();
        return b.isEmpty() ? "" : b.get(0).toStringUtf8();
    }
}
