package dev.batchwise.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A record's generation fields, as a CSV/TSV row or a JSONL object gives them, turned into a
 * {@link GenerationRequest}: {@code prompt} (required), and optionally {@code max_tokens},
 * {@code temperature}, {@code top_p}, {@code top_k}, {@code seed}, {@code stop} (a string, or in JSON a
 * list of strings) and {@code ignore_eos}, each over the run's default. Values are strings (CSV, TSV,
 * text) or Jackson nodes (JSONL); a wrong one is refused with a message naming the field, for that
 * record alone.
 */
public final class RequestFields {

    public static final String PROMPT = "prompt";
    public static final Set<String> NAMES = Set.of(PROMPT, "max_tokens", "temperature", "top_p", "top_k", "seed", "stop",
            "ignore_eos");

    private RequestFields() {}

    /**
     * @param fields the record's fields by name; names outside {@link #NAMES} are not looked at
     * @param defaults the run's parameters (command-line defaults over the model's)
     * @param runSeed the run's seed
     * @param recordIndex the record's position in the input, from 0: with the run's seed, its generator's
     *     seed unless it has a {@code seed} field of its own
     * @throws IllegalArgumentException naming the field and what it takes
     */
    public static GenerationRequest toRequest(Map<String, ?> fields, SamplingParams defaults, long runSeed,
            long recordIndex, boolean returnTokenIds) {
        Object prompt = fields.get(PROMPT);
        if (prompt == null || isNull(prompt)) {
            throw new IllegalArgumentException("no 'prompt' field");
        }
        String text = prompt instanceof JsonNode n ? textOf(n, PROMPT) : (String) prompt;
        SamplingParams p = defaults;
        try {
            if (present(fields, "max_tokens")) {
                p = p.withMaxTokens((int) integer(fields.get("max_tokens"), "max_tokens", 1, Integer.MAX_VALUE));
            }
            if (present(fields, "temperature")) {
                p = p.withTemperature(number(fields.get("temperature"), "temperature"));
            }
            if (present(fields, "top_p")) {
                p = p.withTopP(number(fields.get("top_p"), "top_p"));
            }
            if (present(fields, "top_k")) {
                p = p.withTopK((int) integer(fields.get("top_k"), "top_k", 0, Integer.MAX_VALUE));
            }
            if (present(fields, "stop")) {
                p = p.withStop(stops(fields.get("stop")));
            }
            if (present(fields, "ignore_eos")) {
                p = p.withIgnoreEos(bool(fields.get("ignore_eos"), "ignore_eos"));
            }
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int name = m.indexOf(' '); // SamplingParams' messages start with the field's name
            throw m.startsWith("field '") || name < 0 ? e
                    : new IllegalArgumentException("field '" + m.substring(0, name) + "'" + m.substring(name), e);
        }
        long seed = present(fields, "seed") ? Seeds.forRecordSeed(integer(fields.get("seed"), "seed", Long.MIN_VALUE,
                Long.MAX_VALUE)) : Seeds.forRecord(runSeed, recordIndex);
        return new GenerationRequest(text, null, p, seed, returnTokenIds);
    }

    private static boolean present(Map<String, ?> fields, String name) {
        Object v = fields.get(name);
        return v != null && !isNull(v) && !(v instanceof String s && s.isBlank());
    }

    private static boolean isNull(Object v) {
        return v instanceof JsonNode n && n.isNull();
    }

    private static String textOf(JsonNode n, String name) {
        if (!n.isTextual()) {
            throw new IllegalArgumentException("field '" + name + "' must be a string, not " + n.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        return n.textValue();
    }

    private static long integer(Object v, String name, long min, long max) {
        long n;
        if (v instanceof JsonNode j && j.isIntegralNumber() && j.canConvertToLong()) {
            n = j.asLong();
        } else {
            String s = v instanceof JsonNode j ? (j.isTextual() ? j.textValue() : j.toString()) : (String) v;
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("field '" + name + "' must be a whole number, not '" + s + "'");
            }
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("field '" + name + "' must be from " + min + " to " + max + ", not " + n);
        }
        return n;
    }

    private static double number(Object v, String name) {
        if (v instanceof JsonNode j && j.isNumber()) {
            return j.asDouble();
        }
        String s = v instanceof JsonNode j ? (j.isTextual() ? j.textValue() : j.toString()) : (String) v;
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("field '" + name + "' must be a number, not '" + s + "'");
        }
    }

    private static boolean bool(Object v, String name) {
        if (v instanceof JsonNode j && j.isBoolean()) {
            return j.booleanValue();
        }
        String s = (v instanceof JsonNode j ? (j.isTextual() ? j.textValue() : j.toString()) : (String) v).strip();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("field '" + name + "' must be true or false, not '" + s + "'");
    }

    private static List<String> stops(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonNode j && j.isArray()) {
            for (JsonNode s : j) {
                out.add(textOf(s, "stop"));
            }
            if (out.size() > 4) {
                throw new IllegalArgumentException("field 'stop' takes at most 4 strings, as OpenAI's API does, not "
                        + out.size());
            }
        } else {
            out.add(v instanceof JsonNode j ? textOf(j, "stop") : (String) v);
        }
        return out;
    }
}
