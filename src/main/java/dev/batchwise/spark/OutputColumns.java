package dev.batchwise.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.Task;
import dev.batchwise.result.Failure;
import dev.batchwise.run.FunctionSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a function adds to each row, typed from what it is: a model's embedding as
 * {@code array<float>}, its label as {@code string} and score as {@code double}, its top-k as
 * {@code array<struct<label, score>>}; a raw model output, and every output of a named function
 * (whose signature names its outputs but not their types), as a {@code string}: the value itself
 * when it is one, else its JSON text, as the command line writes it. Then {@code error}, a
 * {@code struct<code, message>} that is null for a record that succeeded and set, with every output
 * null, for one that failed.
 */
final class OutputColumns implements Serializable {

    static final String ERROR = "error";
    static final StructType ERROR_TYPE = new StructType()
            .add("code", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, false);
    private static final StructType TOP_K_ENTRY = new StructType()
            .add("label", DataTypes.StringType, true)
            .add("score", DataTypes.DoubleType, true);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private enum Kind { FLOATS, STRING, DOUBLE, TOP_K, JSON_TEXT }

    private final List<String> names;
    private final Kind[] kinds;

    private OutputColumns(List<String> names, Kind[] kinds) {
        this.names = List.copyOf(names);
        this.kinds = kinds;
    }

    static OutputColumns of(FunctionSpec spec, Signature signature) {
        List<String> names = signature.outputs();
        Kind[] kinds = new Kind[names.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = !(spec instanceof FunctionSpec.Model m) || m.options().task() == Task.RAW ? Kind.JSON_TEXT : switch (names.get(i)) {
                case "embedding" -> Kind.FLOATS;
                case "label" -> Kind.STRING;
                case "score" -> Kind.DOUBLE;
                case "top_k" -> Kind.TOP_K;
                default -> Kind.JSON_TEXT;
            };
        }
        return new OutputColumns(names, kinds);
    }

    List<String> names() {
        return names;
    }

    /** The output fields, then {@code error}; all nullable (a failed record has no outputs). */
    List<StructField> fields() {
        List<StructField> fields = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            fields.add(DataTypes.createStructField(names.get(i), type(kinds[i]), true));
        }
        fields.add(DataTypes.createStructField(ERROR, ERROR_TYPE, true));
        return fields;
    }

    private static DataType type(Kind kind) {
        return switch (kind) {
            case FLOATS -> DataTypes.createArrayType(DataTypes.FloatType, false);
            case STRING, JSON_TEXT -> DataTypes.StringType;
            case DOUBLE -> DataTypes.DoubleType;
            case TOP_K -> DataTypes.createArrayType(TOP_K_ENTRY, false);
        };
    }

    /** Output {@code i}'s value as its column holds it. */
    Object value(int i, Object v) {
        if (v == null) {
            return null;
        }
        return switch (kinds[i]) {
            case FLOATS -> boxed((float[]) v);
            case STRING -> v.toString();
            case DOUBLE -> ((Number) v).doubleValue();
            case TOP_K -> topK((List<?>) v);
            case JSON_TEXT -> text(v);
        };
    }

    static Row error(Failure f) {
        return f == null ? null : RowFactory.create(f.code().label(), f.message());
    }

    private static Float[] boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }

    private static Row[] topK(List<?> entries) {
        Row[] rows = new Row[entries.size()];
        for (int i = 0; i < rows.length; i++) {
            Map<?, ?> e = (Map<?, ?>) entries.get(i);
            Object score = e.get("score");
            rows[i] = RowFactory.create(String.valueOf(e.get("label")),
                    score == null ? null : ((Number) score).doubleValue());
        }
        return rows;
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof com.fasterxml.jackson.databind.JsonNode n && n.isTextual()) {
            return n.textValue();
        }
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + v.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
