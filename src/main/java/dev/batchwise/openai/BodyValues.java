package dev.batchwise.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed reads of one request body's values, each refusing a wrong one with the parameter's name, what
 * it takes, and what it got. Owned by one parse of one line.
 */
final class BodyValues {

    private final String customId;

    BodyValues(String customId) {
        this.customId = customId;
    }

    InvalidRequestException invalid(String param, String message) {
        return new InvalidRequestException(ApiError.invalid(param, Parameters.INVALID_VALUE,
                "'" + param + "' " + message), customId);
    }

    /** A value batchwise does not support (as opposed to one that is wrong). */
    InvalidRequestException unsupported(String param, String message) {
        return new InvalidRequestException(ApiError.invalid(param, Parameters.UNSUPPORTED_VALUE, message), customId);
    }

    InvalidRequestException missing(String param, String what) {
        return new InvalidRequestException(ApiError.invalid(param, Parameters.MISSING_PARAMETER,
                "'" + param + "' is missing; it " + what), customId);
    }

    static String kind(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "the whole number " + v;
        }
        if (v.isNumber()) {
            return "the number " + v;
        }
        if (v.isTextual()) {
            return "a string";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT).replace("pojo", "value")
                .replace("boolean", "a boolean").replace("array", "a list").replace("object", "an object")
                .replace("null", "null");
    }

    String string(JsonNode v, String param) throws InvalidRequestException {
        if (!v.isTextual()) {
            throw invalid(param, "must be a string, not " + kind(v));
        }
        return v.textValue();
    }

    long integer(JsonNode v, String param, long min, long max) throws InvalidRequestException {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            if (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()) && Math.abs(v.asDouble()) < 1e15) {
                return check(param, (long) v.asDouble(), min, max);
            }
            throw invalid(param, "must be a whole number, not " + kind(v));
        }
        return check(param, v.longValue(), min, max);
    }

    private long check(String param, long n, long min, long max) throws InvalidRequestException {
        if (n < min || n > max) {
            throw invalid(param, "must be " + range(min, max) + ", not " + n);
        }
        return n;
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return "at least " + min;
        }
        return "from " + min + " to " + max;
    }

    /** A number in [min, max], or in (min, max] when {@code minExclusive}. */
    double number(JsonNode v, String param, double min, boolean minExclusive, double max) throws InvalidRequestException {
        if (!v.isNumber()) {
            throw invalid(param, "must be a number, not " + kind(v));
        }
        double d = v.asDouble();
        if (!(minExclusive ? d > min : d >= min) || !(d <= max)) {
            throw invalid(param, "must be " + (minExclusive ? "above " + fmt(min) + " and at most " + fmt(max)
                    : "from " + fmt(min) + " to " + fmt(max)) + ", not " + v);
        }
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    boolean bool(JsonNode v, String param) throws InvalidRequestException {
        if (!v.isBoolean()) {
            throw invalid(param, "must be true or false, not " + kind(v));
        }
        return v.booleanValue();
    }

    /** OpenAI's {@code stop}: a string or a list of up to 4 strings, none empty. */
    List<String> stop(JsonNode v) throws InvalidRequestException {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                out.add(string(v.get(i), "stop[" + i + "]"));
            }
            if (out.size() > 4) {
                throw invalid("stop", "takes at most 4 strings, as OpenAI's API does, not " + out.size());
            }
        } else {
            out.add(string(v, "stop"));
        }
        for (String s : out) {
            if (s.isEmpty()) {
                throw invalid("stop", "must not hold an empty string");
            }
        }
        return out;
    }

    /** A list of token ids: whole numbers from 0 to 2^31 - 1, at least one. */
    int[] tokenIds(JsonNode v, String param) throws InvalidRequestException {
        if (v.isEmpty()) {
            throw invalid(param, "must not be an empty list");
        }
        int[] ids = new int[v.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = v.get(i);
            if (!t.isIntegralNumber()) {
                throw invalid(param + "[" + i + "]", "must be a token id (a whole number), not " + kind(t));
            }
            ids[i] = (int) check(param + "[" + i + "]", t.asLong(), 0, Integer.MAX_VALUE);
        }
        return ids;
    }

    /** Whether every element of a non-empty list is a whole number. */
    static boolean allIntegers(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            return false;
        }
        for (JsonNode t : list) {
            if (!t.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }
}
