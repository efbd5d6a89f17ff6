package dev.batchwise.fn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/**
 * The type of a function's input parameter. Each type converts a field value read from CSV/TSV/text
 * (always a string) or from JSONL (any JSON value) into the Java value the function receives.
 */
public enum ParamType {
    /** A {@link String}. JSON numbers and booleans are accepted and passed as their text. */
    TEXT("text"),
    /** A {@link Long}. Accepts integral JSON numbers and strings such as {@code "42"}. */
    INTEGER("integer"),
    /** A {@link Double}. */
    NUMBER("number"),
    /** A {@link Boolean}: {@code true}/{@code false}, case-insensitive, in text or JSON. */
    BOOLEAN("boolean"),
    /** The JSON value as a Jackson {@link JsonNode}; from CSV/TSV/text, a JSON text node. */
    JSON("json");

    private final String label;

    ParamType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Converts one field value.
     *
     * @param value a {@link String} (CSV, TSV, text) or a {@link JsonNode} (JSONL); never null
     * @throws IllegalArgumentException with a message fit for a user, naming the value and the type
     */
    public Object convert(Object value) {
        if (value instanceof JsonNode node) {
            return fromJson(node);
        }
        return fromText((String) value);
    }

    private Object fromText(String text) {
        switch (this) {
            case TEXT:
                return text;
            case INTEGER:
                try {
                    return Long.valueOf(text.strip());
                } catch (NumberFormatException e) {
                    throw notA(quote(text));
                }
            case NUMBER:
                try {
                    return Double.valueOf(text.strip());
                } catch (NumberFormatException e) {
                    throw notA(quote(text));
                }
            case BOOLEAN:
                String t = text.strip();
                if (t.equalsIgnoreCase("true")) {
                    return Boolean.TRUE;
                }
                if (t.equalsIgnoreCase("false")) {
                    return Boolean.FALSE;
                }
                throw notA(quote(text));
            case JSON:
                return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
            default:
                throw new AssertionError(this);
        }
    }

    private Object fromJson(JsonNode node) {
        if (this == JSON) {
            return node;
        }
        if (node.isTextual()) {
            return fromText(node.textValue());
        }
        JsonNodeType kind = node.getNodeType();
        switch (this) {
            case TEXT:
                if (node.isValueNode() && !node.isNull()) {
                    return node.asText();
                }
                break;
            case INTEGER:
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return node.longValue();
                }
                if (node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue())
                        && Math.abs(node.doubleValue()) < 0x1p53) {
                    return (long) node.doubleValue();
                }
                break;
            case NUMBER:
                if (node.isNumber()) {
                    return node.doubleValue();
                }
                break;
            case BOOLEAN:
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
                break;
            default:
                throw new AssertionError(this);
        }
        throw notA(kind == JsonNodeType.NULL ? "null" : "JSON " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " " + abbreviate(node.toString()));
    }

    private IllegalArgumentException notA(String what) {
        return new IllegalArgumentException(what + " is not " + article() + " " + label);
    }

    private String article() {
        return this == INTEGER ? "an" : "a";
    }

    private static String quote(String text) {
        return "'" + abbreviate(text) + "'";
    }

    private static String abbreviate(String text) {
        return dev.batchwise.util.Text.abbreviate(text, 40);
    }
}
