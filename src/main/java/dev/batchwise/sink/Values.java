package dev.batchwise.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * Writes every character as UTF-8, those outside the BMP included (not as a surrogate-pair escape);
     * a lone surrogate, which UTF-8 cannot encode, is written as its {@code \\uXXXX} escape.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private Values() {}

    static void write(JsonGenerator json, Object v) throws IOException {
        if (v == null) {
            json.writeNull();
        } else if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Long || v instanceof Integer) {
            json.writeNumber(((Number) v).longValue());
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

    /**
     * A value in a form {@link #write} and {@link #cell} cannot fail on: the scalars and float arrays
     * {@code write} knows as they are, anything else as a JSON tree, made here, so that a value the
     * mapper cannot serialise fails its record before any of its line is written.
     *
     * @param csv whether the value goes to CSV, which cannot hold text with a lone surrogate
     * @throws UnwritableValueException saying why the value cannot be written
     */
    static Object prepare(Object v, boolean csv) throws UnwritableValueException {
        if (v == null || v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Float
                || v instanceof Boolean || v instanceof float[]) {
            return v;
        }
        if (v instanceof String s) {
            if (csv) {
                checkSurrogates(s);
            }
            return s;
        }
        if (v instanceof JsonNode node && node.isValueNode() && !node.isPojo()) {
            if (csv && node.isTextual()) {
                checkSurrogates(node.textValue());
            }
            return node;
        }
        try {
            return MAPPER.valueToTree(v);
        } catch (VirtualMachineError e) {
            if (e instanceof StackOverflowError || e instanceof OutOfMemoryError) {
                throw new UnwritableValueException("a " + v.getClass().getName() + " too deep or too large to "
                        + "write as JSON (" + e.getClass().getSimpleName() + ")", e);
            }
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
            throw new UnwritableValueException("a " + v.getClass().getName() + " cannot be written as JSON: " + why, e);
        }
    }

    private static void checkSurrogates(String s) throws UnwritableValueException {
        int at = loneSurrogate(s);
        if (at >= 0) {
            throw new UnwritableValueException(String.format(java.util.Locale.ROOT,
                    "text with a lone surrogate (U+%04X at character %d), which UTF-8 cannot encode", (int) s.charAt(at),
                    s.codePointCount(0, at) + 1), null);
        }
    }

    /** The index of the first lone surrogate of {@code s}, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code s} with each lone surrogate replaced by U+FFFD, for CSV cells of our own (ids, messages). */
    static String withoutLoneSurrogates(String s) {
        if (loneSurrogate(s) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
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
     * and {@code seq} when one is given.
     *
     * @param seq the record's sequence number to write, or {@code null} for none
     */
    static void writeError(JsonGenerator json, String field, Result r, Long seq) throws IOException {
        writeError(json, field, r, seq, null);
    }

    /** @param id the salvaged id of a record that could not be parsed, or {@code null} to write none */
    static void writeError(JsonGenerator json, String field, Result r, Long seq, String id) throws IOException {
        Failure f = r.failure();
        json.writeObjectFieldStart(field);
        json.writeStringField("code", f.code().label());
        json.writeStringField("message", f.message());
        json.writeStringField("source", r.origin().source());
        json.writeNumberField("line", r.origin().line());
        if (seq != null) {
            json.writeNumberField("seq", seq);
        }
        if (id != null) {
            json.writeStringField(dev.batchwise.source.ErrorsFileFormat.ID, id);
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
        // through UTF-8, so that a lone surrogate comes back escaped, as CSV's UTF-8 cannot hold it
        return new String(MAPPER.writeValueAsBytes(v), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Nanoseconds as milliseconds with microsecond precision. */
    static BigDecimal millis(long nanos) {
        return BigDecimal.valueOf(nanos / 1000).movePointLeft(3).setScale(3, RoundingMode.UNNECESSARY);
    }
}
