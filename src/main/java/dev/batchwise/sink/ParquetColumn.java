package dev.batchwise.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.result.TextChunk;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * One column of batchwise's Parquet output: its Parquet type, chosen from the first value a
 * successful record has for it, and how a value is written. Every column is optional (null where
 * a record has no value: a failed record's outputs, a missing kept column).
 */
final class ParquetColumn {

    /** What a column holds. */
    enum Kind {
        INT64, DOUBLE, BOOLEAN, STRING,
        /** A list of floats, half floats or 8-bit integers ({@link Element}). */
        VECTOR,
        /** A list of {@code {index, start, end, embedding}} ({@link TextChunk}s). */
        CHUNKS
    }

    /** The element type of a vector. */
    enum Element {
        FLOAT, FLOAT16, INT8
    }

    final String name;
    final Kind kind;
    final Element element;

    ParquetColumn(String name, Kind kind, Element element) {
        this.name = name;
        this.kind = kind;
        this.element = element;
    }

    /** The column a value calls for; {@code null} gives a string column. */
    static ParquetColumn of(String name, Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return new ParquetColumn(name, Kind.INT64, null);
        }
        if (value instanceof Double || value instanceof Float) {
            return new ParquetColumn(name, Kind.DOUBLE, null);
        }
        if (value instanceof Boolean) {
            return new ParquetColumn(name, Kind.BOOLEAN, null);
        }
        Element e = element(value);
        if (e != null) {
            return new ParquetColumn(name, Kind.VECTOR, e);
        }
        if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof TextChunk c) {
            Element inner = element(c.embedding());
            if (inner != null) {
                return new ParquetColumn(name, Kind.CHUNKS, inner);
            }
        }
        return new ParquetColumn(name, Kind.STRING, null);
    }

    private static Element element(Object v) {
        return v instanceof float[] ? Element.FLOAT : v instanceof Float16Vector ? Element.FLOAT16
                : v instanceof Int8Vector ? Element.INT8 : null;
    }

    Type type() {
        return switch (kind) {
            case INT64 -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
            case VECTOR -> Types.optionalList().element(elementType()).named(name);
            case CHUNKS -> Types.optionalList().element(Types.requiredGroup()
                    .required(PrimitiveTypeName.INT32).named("index")
                    .required(PrimitiveTypeName.INT32).named("start")
                    .required(PrimitiveTypeName.INT32).named("end")
                    .addField(Types.requiredList().element(elementType()).named("embedding"))
                    .named("element")).named(name);
        };
    }

    private Type elementType() {
        return switch (element) {
            case FLOAT -> Types.required(PrimitiveTypeName.FLOAT).named("element");
            case FLOAT16 -> Types.required(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(2)
                    .as(LogicalTypeAnnotation.float16Type()).named("element");
            case INT8 -> Types.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true))
                    .named("element");
        };
    }

    /** Writes {@code value} as field {@code index} of the current record; a null value is left out. */
    void write(RecordConsumer out, int index, Object value) throws IOException {
        if (value == null || (value instanceof JsonNode node && node.isNull())) {
            return;
        }
        out.startField(name, index);
        switch (kind) {
            case INT64 -> {
                if (!(value instanceof Long || value instanceof Integer)) {
                    throw new IOException("column '" + name + "' holds whole numbers, as its first value did; this "
                            + "record's is " + Values.json(value));
                }
                out.addLong(((Number) value).longValue());
            }
            case DOUBLE -> {
                if (!(value instanceof Number n)) {
                    throw new IOException("column '" + name + "' holds numbers, as its first value did; this record's "
                            + "is " + Values.json(value));
                }
                out.addDouble(n.doubleValue());
            }
            case BOOLEAN -> out.addBoolean((Boolean) value);
            case STRING -> out.addBinary(Binary.fromString(value instanceof String s ? Values.withoutLoneSurrogates(s)
                    : Values.withoutLoneSurrogates(Values.cell(value))));
            case VECTOR -> list(out, () -> elements(out, value));
            case CHUNKS -> list(out, () -> {
                for (Object o : (List<?>) value) {
                    TextChunk c = (TextChunk) o;
                    out.startGroup();
                    out.startField("element", 0);
                    out.startGroup();
                    integer(out, "index", 0, c.index());
                    integer(out, "start", 1, c.start());
                    integer(out, "end", 2, c.end());
                    out.startField("embedding", 3);
                    list(out, () -> elements(out, c.embedding()));
                    out.endField("embedding", 3);
                    out.endGroup();
                    out.endField("element", 0);
                    out.endGroup();
                }
            });
        }
        out.endField(name, index);
    }

    private interface Body {
        void write() throws IOException;
    }

    /** A three-level Parquet list: a group with a repeated group {@code list} of {@code element}s. */
    private static void list(RecordConsumer out, Body elements) throws IOException {
        out.startGroup();
        out.startField("list", 0);
        elements.write();
        out.endField("list", 0);
        out.endGroup();
    }

    private void elements(RecordConsumer out, Object vector) throws IOException {
        if (element(vector) != element) {
            throw new IOException("column '" + name + "' holds vectors of " + element.name().toLowerCase(java.util.Locale.ROOT)
                    + ", as its first value did; this record's is a " + vector.getClass().getSimpleName());
        }
        switch (element) {
            case FLOAT -> {
                for (float f : (float[]) vector) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addFloat(f);
                    out.endField("element", 0);
                    out.endGroup();
                }
            }
            case FLOAT16 -> {
                for (short h : ((Float16Vector) vector).bits()) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addBinary(Binary.fromConstantByteArray(new byte[] {(byte) h, (byte) (h >>> 8)}));
                    out.endField("element", 0);
                    out.endGroup();
                }
            }
            case INT8 -> {
                for (byte b : ((Int8Vector) vector).values()) {
                    out.startGroup();
                    out.startField("element", 0);
                    out.addInteger(b);
                    out.endField("element", 0);
                    out.endGroup();
                }
            }
        }
    }

    private static void integer(RecordConsumer out, String field, int index, int value) {
        out.startField(field, index);
        out.addInteger(value);
        out.endField(field, index);
    }
}
