package dev.batchwise.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Writes the values functions return (strings, numbers, booleans, arrays, lists, maps, JSON trees). */
final class Values {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Values() {}

    static void write(JsonGenerator json, Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Long l) {
            json.writeNumber(l);
        } else if (v instanceof Integer i) {
            json.writeNumber(i);
        } else if (v instanceof Double d) {
            json.writeNumber(d);
        } else if (v instanceof Float f) {
            json.writeNumber(f);
        } else if (v instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (v instanceof float[] a) {
            json.writeStartArray(a, a.length);
            for (float x : a) {
                json.writeNumber(x);
            }
            json.writeEndArray();
        } else {
            MAPPER.writeValue(json, v);
        }
    }

    /** A value as the JSON text {@link #write} makes of it. */
    static String json(Object v) throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            write(json, v);
        }
        return text.toString();
    }

    /** A JSON Lines generator over {@code out}: one value per line, the stream left open on close. */
    static JsonGenerator jsonLines(OutputStream out) throws IOException {
        JsonGenerator json = MAPPER.getFactory().createGenerator(out);
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null);
        return json;
    }

    /**
     * The error object of a failed result: {@code code}, {@code message}, {@code source}, {@code line},
     * and {@code seq} when asked.
     */
    static void writeError(JsonGenerator json, String field, Result r, boolean withSeq) throws IOException {
        Failure f = r.failure();
        json.writeObjectFieldStart(field);
        json.writeStringField("code", f.code().label());
        json.writeStringField("message", f.message());
        json.writeStringField("source", r.origin().source());
        json.writeNumberField("line", r.origin().line());
        if (withSeq) {
            json.writeNumberField("seq", r.seq());
        }
        json.writeEndObject();
    }

    /** A scalar as CSV cell text; anything else as its JSON text. */
    static String cell(Object v) throws IOException {
        if (v == null) {
            return "";
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof com.fasterxml.jackson.databind.JsonNode node && node.isValueNode()) {
            return node.asText();
        }
        return MAPPER.writeValueAsString(v);
    }

    /** Nanoseconds as milliseconds with microsecond precision. */
    static BigDecimal millis(long nanos) {
        return BigDecimal.valueOf(nanos / 1000).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY);
    }
}
