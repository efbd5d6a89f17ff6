package dev.batchwise.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.source.Fields;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells an OpenAI batch input file from other JSON Lines, by its first record: the file is a batch
 * file when the first line that is a JSON object has exactly the keys {@code custom_id},
 * {@code method}, {@code url} and {@code body}, with {@code url} a string that starts with {@code /}
 * and {@code body} an object. A file whose first object has any other key, or lacks one of these, is
 * read as ordinary records; {@code --format openai-batch} reads it as a batch file whatever its first
 * line (and {@code --format jsonl} as records whatever it holds).
 */
public final class BatchFormat {

    /** The name users type: {@code --format openai-batch}. */
    public static final String FORMAT_NAME = "openai-batch";

    private BatchFormat() {}

    /** Whether a record's fields, as the JSONL reader gives them, have the request shape. */
    public static boolean isRequestLine(Fields fields) {
        List<String> names = fields.names();
        if (names.size() != RequestParser.ENVELOPE.size() || !new HashSet<>(names).equals(RequestParser.ENVELOPE)) {
            return false;
        }
        return shaped(fields.get("url"), fields.get("body"));
    }

    /** Whether a parsed line has the request shape. */
    public static boolean isRequestLine(JsonNode line) {
        if (!line.isObject() || line.size() != RequestParser.ENVELOPE.size()) {
            return false;
        }
        Set<String> names = new HashSet<>();
        line.fieldNames().forEachRemaining(names::add);
        return names.equals(RequestParser.ENVELOPE) && shaped(line.get("url"), line.get("body"));
    }

    private static boolean shaped(Object url, Object body) {
        return url instanceof JsonNode u && u.isTextual() && u.textValue().startsWith("/")
                && body instanceof JsonNode b && b.isObject();
    }
}
