package dev.batchwise.source;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number exactly as the input wrote it. It is written back with the same text, and given to a
 * function as that text, so {@code 1e400} stays {@code 1e400} (not {@code Infinity}) and a 30-digit
 * decimal keeps every digit; a function that asks for a number gets its nearest double.
 *
 * <p>Two numbers are equal when their text is: {@code 1.0} and {@code 1} are different values as
 * written, and a key is compared as it appears in the output.
 */
public final class JsonNumber extends NumericNode {

    private static final long serialVersionUID = 1L;
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final String text;
    private final boolean integral;

    private JsonNumber(String text, boolean integral) {
        this.text = text;
        this.integral = integral;
    }

    /** The number the parser is at ({@link JsonToken#VALUE_NUMBER_INT} or {@link JsonToken#VALUE_NUMBER_FLOAT}). */
    static JsonNumber of(JsonParser p) throws IOException {
        return new JsonNumber(p.getText(), p.currentToken() == JsonToken.VALUE_NUMBER_INT);
    }

    @Override
    public JsonToken asToken() {
        return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        return !integral ? JsonParser.NumberType.BIG_DECIMAL
                : canConvertToLong() ? JsonParser.NumberType.LONG : JsonParser.NumberType.BIG_INTEGER;
    }

    @Override
    public boolean isIntegralNumber() {
        return integral;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return !integral;
    }

    @Override
    public Number numberValue() {
        return integral ? (canConvertToLong() ? (Number) longValue() : bigIntegerValue()) : decimalValue();
    }

    @Override
    public int intValue() {
        return integral ? bigIntegerValue().intValue() : decimalValue().intValue();
    }

    @Override
    public long longValue() {
        return integral ? bigIntegerValue().longValue() : decimalValue().longValue();
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public BigDecimal decimalValue() {
        return new BigDecimal(text);
    }

    @Override
    public BigInteger bigIntegerValue() {
        return integral ? new BigInteger(text) : decimalValue().toBigInteger();
    }

    @Override
    public boolean canConvertToInt() {
        return canConvertToLong() && longValue() == (int) longValue();
    }

    @Override
    public boolean canConvertToLong() {
        if (!integral) {
            return false;
        }
        BigInteger v = bigIntegerValue();
        return v.compareTo(LONG_MIN) >= 0 && v.compareTo(LONG_MAX) <= 0;
    }

    @Override
    public String asText() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
        g.writeNumber(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber n && n.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
