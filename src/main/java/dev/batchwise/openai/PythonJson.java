package dev.batchwise.openai;

import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False, indent=..., separators=..., sort_keys=...)},
 * which Hugging Face's chat templating installs as the {@code tojson} filter: separators {@code ", "}
 * and {@code ": "} without an indent, {@code ","} and {@code ": "} with one; non-ASCII kept as it is;
 * control characters, quotes and backslashes escaped as Python escapes them.
 */
final class PythonJson {

    private PythonJson() {}

    /**
     * @param indent {@code null} for one line, else the number of spaces per level (0 puts each item on
     *     its own line without indent, as Python does)
     * @param itemSeparator {@code null} for Python's default
     * @param keySeparator {@code null} for Python's default
     */
    static String dumps(Object value, Integer indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        StringBuilder b = new StringBuilder();
        String items = itemSeparator != null ? itemSeparator : indent == null ? ", " : ",";
        String keys = keySeparator != null ? keySeparator : ": ";
        write(b, value, indent, items, keys, sortKeys, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, Integer indent, String items, String keys, boolean sort, int depth) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Boolean bool) {
            b.append(bool ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            b.append(pythonFloat(((Number) v).doubleValue()));
        } else if (v instanceof java.math.BigDecimal d) {
            b.append(pythonFloat(d.doubleValue()));
        } else if (v instanceof Number n) {
            b.append(n);
        } else if (v instanceof Map<?, ?> m) {
            var entries = new java.util.ArrayList<Map.Entry<?, ?>>(m.entrySet());
            if (sort) {
                entries.sort((x, y) -> String.valueOf(x.getKey()).compareTo(String.valueOf(y.getKey())));
            }
            if (entries.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    b.append(items);
                }
                newline(b, indent, depth + 1);
                string(b, String.valueOf(entries.get(i).getKey()));
                b.append(keys);
                write(b, entries.get(i).getValue(), indent, items, keys, sort, depth + 1);
            }
            newline(b, indent, depth);
            b.append('}');
        } else if (v instanceof Iterable<?> || v instanceof Object[]) {
            Iterable<?> list = v instanceof Object[] arr ? java.util.Arrays.asList(arr) : (Iterable<?>) v;
            var it = list.iterator();
            if (!it.hasNext()) {
                b.append("[]");
                return;
            }
            b.append('[');
            boolean first = true;
            while (it.hasNext()) {
                if (!first) {
                    b.append(items);
                }
                first = false;
                newline(b, indent, depth + 1);
                write(b, it.next(), indent, items, keys, sort, depth + 1);
            }
            newline(b, indent, depth);
            b.append(']');
        } else {
            string(b, String.valueOf(v));
        }
    }

    private static void newline(StringBuilder b, Integer indent, int depth) {
        if (indent != null) {
            b.append('\n').append(" ".repeat(indent * depth));
        }
    }

    /** Python's {@code repr} of a float, which {@code json.dumps} writes: shortest round-trip digits. */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        if (exp >= -4 && exp < 16) {
            return new java.math.BigDecimal(s).toPlainString();
        }
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
