package dev.batchwise.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.source.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one line of an OpenAI batch input file, {@code {"custom_id", "method", "url", "body"}}, and
 * validates it: the envelope here, each endpoint's body in {@link Bodies}. A line it refuses throws an
 * {@link InvalidRequestException} for that line alone, carrying the line's {@code custom_id} when it
 * could be read. Stateless and thread-safe.
 */
public final class RequestParser {

    static final Set<String> ENVELOPE = Set.of("custom_id", "method", "url", "body");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private RequestParser() {}

    /** Reads a line's JSON text. */
    public static BatchRequest parse(String line) throws InvalidRequestException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            int cut = m.indexOf('\n');
            throw new InvalidRequestException(ApiError.invalid(null, "invalid_json",
                    "the line is not valid JSON: " + (cut >= 0 ? m.substring(0, cut) : m)), null);
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidRequestException(ApiError.invalid(null, "invalid_json", "the line is empty"), null);
        }
        return parse(node);
    }

    /**
     * Reads a record's fields as the JSONL reader gives them (each value a Jackson node).
     *
     * @throws InvalidRequestException when a value is not JSON (a record from CSV or text, not a batch file)
     */
    public static BatchRequest parse(Fields fields) throws InvalidRequestException {
        ObjectNode line = JSON.createObjectNode();
        for (String name : fields.names()) {
            Object v = fields.get(name);
            if (!(v instanceof JsonNode n)) {
                throw new InvalidRequestException(ApiError.invalid(null, "invalid_request_line",
                        "a batch file's lines are JSON objects; this record is not JSON"), null);
            }
            line.set(name, n);
        }
        return parse(line);
    }

    /** Reads a line's JSON value. */
    public static BatchRequest parse(JsonNode line) throws InvalidRequestException {
        if (!line.isObject()) {
            throw new InvalidRequestException(ApiError.invalid(null, "invalid_request_line", "the line is "
                    + BodyValues.kind(line) + ", not an object {\"custom_id\", \"method\", \"url\", \"body\"}"), null);
        }
        JsonNode idNode = line.get("custom_id");
        String customId = idNode != null && idNode.isTextual() && !idNode.textValue().isEmpty() ? idNode.textValue() : null;
        if (customId == null) {
            throw envelope(null, "custom_id", idNode == null || idNode.isNull() ? "the line has no 'custom_id'"
                    : "'custom_id' must be a non-empty string, not " + BodyValues.kind(idNode));
        }
        for (Iterator<String> it = line.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!ENVELOPE.contains(name)) {
                throw envelope(customId, name, "the line has '" + name + "'; a request line has only custom_id, method, "
                        + "url and body (parameters go in body)");
            }
        }
        JsonNode method = line.get("method");
        if (method == null || !method.isTextual() || !method.textValue().equals("POST")) {
            throw envelope(customId, "method", "'method' must be \"POST\", not "
                    + (method == null ? "absent" : method.isTextual() ? "\"" + method.textValue() + "\"" : BodyValues.kind(method)));
        }
        JsonNode url = line.get("url");
        if (url == null || !url.isTextual()) {
            throw envelope(customId, "url", "'url' must be a string such as \"/v1/chat/completions\", not "
                    + (url == null ? "absent" : BodyValues.kind(url)));
        }
        Endpoint endpoint = Endpoint.ofUrl(url.textValue());
        if (endpoint == null) {
            throw new InvalidRequestException(new ApiError(404, ApiError.INVALID_REQUEST, "url", "unknown_url",
                    "batchwise does not serve POST " + url.textValue() + "; it serves /v1/chat/completions, "
                            + "/v1/completions and /v1/embeddings"), customId);
        }
        JsonNode body = line.get("body");
        if (body == null || !body.isObject()) {
            throw envelope(customId, "body", "'body' must be an object, not " + (body == null ? "absent" : BodyValues.kind(body)));
        }
        List<String> ignored = new ArrayList<>();
        checkParameters(endpoint, (ObjectNode) body, customId, ignored);
        BodyValues values = new BodyValues(customId);
        JsonNode model = body.get("model");
        String modelName = model == null || model.isNull() ? null : values.string(model, "model");
        RequestBody parsed = switch (endpoint) {
            case CHAT_COMPLETIONS -> Bodies.chat((ObjectNode) body, values);
            case COMPLETIONS -> Bodies.completion((ObjectNode) body, values);
            case EMBEDDINGS -> Bodies.embeddings((ObjectNode) body, values);
        };
        return new BatchRequest(customId, endpoint, modelName, parsed, ignored);
    }

    private static InvalidRequestException envelope(String customId, String param, String message) {
        return new InvalidRequestException(ApiError.invalid(param, "invalid_request_line", message), customId);
    }

    /** Refuses the first parameter batchwise does not implement (in the body's order); lists the ignored ones. */
    private static void checkParameters(Endpoint endpoint, ObjectNode body, String customId, List<String> ignored)
            throws InvalidRequestException {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            Parameters.Rule rule = Parameters.rule(endpoint, name);
            if (rule == null) {
                throw new InvalidRequestException(ApiError.invalid(name, Parameters.UNKNOWN_PARAMETER,
                        "unrecognized parameter '" + name + "' for " + endpoint.url()
                                + "; docs/openai-batch.md lists the parameters batchwise reads"), customId);
            }
            if (value.isNull()) {
                continue;
            }
            switch (rule.disposition()) {
                case HONOURED -> { }
                case IGNORED -> ignored.add(name);
                case DEFAULT_ONLY -> {
                    if (!Parameters.isDefault(rule, value)) {
                        throw new InvalidRequestException(ApiError.invalid(name, Parameters.UNSUPPORTED_VALUE,
                                "'" + name + "' " + value + " is not supported: " + rule.why() + " (leave it out, or set it to "
                                        + rule.defaultValue() + ")"), customId);
                    }
                }
                case REFUSED -> throw new InvalidRequestException(ApiError.invalid(name, Parameters.UNSUPPORTED_PARAMETER,
                        "'" + name + "' is not supported: " + rule.why()), customId);
            }
        }
    }
}
