package dev.batchwise.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the honoured parameters of each endpoint's body, after {@link RequestParser} has refused the
 * ones batchwise does not implement.
 */
final class Bodies {

    /** OpenAI's limit on the inputs of one embeddings request. */
    static final int MAX_EMBEDDING_INPUTS = 2048;
    static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final Set<String> MESSAGE_KEYS = Set.of("role", "content");

    private Bodies() {}

    static RequestBody.Chat chat(ObjectNode body, BodyValues v) throws InvalidRequestException {
        JsonNode messages = present(body, "messages");
        if (messages == null) {
            throw v.missing("messages", "takes the conversation, a list of {\"role\", \"content\"}");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw v.invalid("messages", "must be a non-empty list of {\"role\", \"content\"}, not " + BodyValues.kind(messages));
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            out.add(message(messages.get(i), "messages[" + i + "]", v));
        }
        return new RequestBody.Chat(out, params(body, v, true));
    }

    private static ChatMessage message(JsonNode m, String where, BodyValues v) throws InvalidRequestException {
        if (!m.isObject()) {
            throw v.invalid(where, "must be an object {\"role\", \"content\"}, not " + BodyValues.kind(m));
        }
        for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!MESSAGE_KEYS.contains(key) && !m.get(key).isNull()) {
                throw v.unsupported(where + "." + key, "'" + where + "." + key + "' is not supported: batchwise "
                        + "renders a message's role and content only" + (key.equals("tool_calls") ? " (tools are not implemented)" : ""));
            }
        }
        JsonNode roleNode = m.get("role");
        if (roleNode == null || roleNode.isNull()) {
            throw v.missing(where + ".role", "is one of system, user, assistant");
        }
        String role = v.string(roleNode, where + ".role");
        if (!ROLES.contains(role)) {
            throw v.unsupported(where + ".role", "'" + where + ".role' \"" + role + "\" is not supported: batchwise renders "
                    + "system, user and assistant messages" + (role.equals("developer") ? " (write it as a system message)" : ""));
        }
        JsonNode content = m.get("content");
        if (content == null || content.isNull()) {
            throw v.missing(where + ".content", "is a string or a list of text parts");
        }
        if (content.isTextual()) {
            return ChatMessage.of(role, content.textValue());
        }
        if (!content.isArray() || content.isEmpty()) {
            throw v.invalid(where + ".content", "must be a string or a non-empty list of text parts, not " + BodyValues.kind(content));
        }
        List<String> parts = new ArrayList<>(content.size());
        for (int i = 0; i < content.size(); i++) {
            String at = where + ".content[" + i + "]";
            JsonNode part = content.get(i);
            if (!part.isObject()) {
                throw v.invalid(at, "must be a part {\"type\": \"text\", \"text\": ...}, not " + BodyValues.kind(part));
            }
            JsonNode type = part.get("type");
            if (type == null || !type.isTextual() || !type.textValue().equals("text")) {
                throw v.unsupported(at + ".type", "'" + at + ".type' " + (type == null ? "is missing" : type + " is not supported")
                        + ": batchwise reads text parts only ({\"type\": \"text\", \"text\": ...})");
            }
            JsonNode text = part.get("text");
            if (text == null) {
                throw v.missing(at + ".text", "is the part's text");
            }
            parts.add(v.string(text, at + ".text"));
        }
        return ChatMessage.ofParts(role, parts);
    }

    static RequestBody.Completion completion(ObjectNode body, BodyValues v) throws InvalidRequestException {
        JsonNode prompt = present(body, "prompt");
        if (prompt == null) {
            throw v.missing("prompt", "takes the text to continue");
        }
        GenerationParams params = params(body, v, false);
        if (prompt.isTextual()) {
            return new RequestBody.Completion(nonEmpty(prompt.textValue(), "prompt", v), null, params);
        }
        if (BodyValues.allIntegers(prompt)) {
            return new RequestBody.Completion(null, v.tokenIds(prompt, "prompt"), params);
        }
        if (prompt.isArray() && prompt.size() == 1) {
            JsonNode only = prompt.get(0);
            if (only.isTextual()) {
                return new RequestBody.Completion(nonEmpty(only.textValue(), "prompt[0]", v), null, params);
            }
            if (BodyValues.allIntegers(only)) {
                return new RequestBody.Completion(null, v.tokenIds(only, "prompt[0]"), params);
            }
        }
        if (prompt.isArray() && prompt.size() > 1 && (prompt.get(0).isTextual() || prompt.get(0).isArray())) {
            throw v.unsupported("prompt", "'prompt' holds " + prompt.size() + " prompts; batchwise takes one prompt per "
                    + "line: put each on a line of its own");
        }
        throw v.invalid("prompt", "must be a string or a list of token ids, not " + BodyValues.kind(prompt));
    }

    static RequestBody.Embeddings embeddings(ObjectNode body, BodyValues v) throws InvalidRequestException {
        JsonNode input = present(body, "input");
        if (input == null) {
            throw v.missing("input", "takes the text to embed, or a list of them");
        }
        List<EmbeddingInput> inputs = new ArrayList<>();
        if (input.isTextual()) {
            inputs.add(EmbeddingInput.ofText(nonEmpty(input.textValue(), "input", v)));
        } else if (BodyValues.allIntegers(input)) {
            inputs.add(EmbeddingInput.ofTokens(v.tokenIds(input, "input")));
        } else if (input.isArray() && !input.isEmpty()) {
            if (input.size() > MAX_EMBEDDING_INPUTS) {
                throw v.invalid("input", "holds " + input.size() + " inputs; OpenAI's API takes at most "
                        + MAX_EMBEDDING_INPUTS + " per request");
            }
            boolean texts = input.get(0).isTextual();
            for (int i = 0; i < input.size(); i++) {
                JsonNode one = input.get(i);
                String at = "input[" + i + "]";
                if (texts && one.isTextual()) {
                    inputs.add(EmbeddingInput.ofText(nonEmpty(one.textValue(), at, v)));
                } else if (!texts && BodyValues.allIntegers(one)) {
                    inputs.add(EmbeddingInput.ofTokens(v.tokenIds(one, at)));
                } else {
                    throw v.invalid(at, "must be " + (texts ? "a string, as input[0] is" : "a list of token ids, as input[0] is")
                            + ", not " + BodyValues.kind(one));
                }
            }
        } else {
            throw v.invalid("input", "must be a string, a list of strings, a list of token ids or a list of such lists, not "
                    + BodyValues.kind(input));
        }
        EncodingFormat format = EncodingFormat.FLOAT;
        JsonNode f = present(body, "encoding_format");
        if (f != null) {
            String s = v.string(f, "encoding_format");
            if (s.equals("base64")) {
                format = EncodingFormat.BASE64;
            } else if (!s.equals("float")) {
                throw v.invalid("encoding_format", "must be \"float\" or \"base64\", not \"" + s + "\"");
            }
        }
        JsonNode d = present(body, "dimensions");
        Integer dimensions = d == null ? null : (int) v.integer(d, "dimensions", 1, Integer.MAX_VALUE);
        return new RequestBody.Embeddings(inputs, format, dimensions);
    }

    private static GenerationParams params(ObjectNode body, BodyValues v, boolean chat) throws InvalidRequestException {
        Integer maxTokens = null;
        JsonNode mt = present(body, "max_tokens");
        if (mt != null) {
            maxTokens = (int) v.integer(mt, "max_tokens", 1, Integer.MAX_VALUE);
        }
        JsonNode mct = chat ? present(body, "max_completion_tokens") : null;
        if (mct != null) {
            int n = (int) v.integer(mct, "max_completion_tokens", 1, Integer.MAX_VALUE);
            if (maxTokens != null && maxTokens != n) {
                throw v.invalid("max_completion_tokens", "is " + n + " and 'max_tokens' is " + maxTokens
                        + "; give one of them, or the same number in both");
            }
            maxTokens = n;
        }
        JsonNode t = present(body, "temperature");
        Double temperature = t == null ? null : v.number(t, "temperature", 0, false, 2);
        JsonNode p = present(body, "top_p");
        Double topP = p == null ? null : v.number(p, "top_p", 0, true, 1);
        JsonNode k = present(body, "top_k");
        Integer topK = k == null ? null : (int) v.integer(k, "top_k", 0, Integer.MAX_VALUE);
        JsonNode s = present(body, "seed");
        Long seed = s == null ? null : v.integer(s, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        JsonNode st = present(body, "stop");
        List<String> stop = st == null ? List.of() : v.stop(st);
        JsonNode nn = present(body, "n");
        int n = nn == null ? 1 : (int) v.integer(nn, "n", 1, 128);
        JsonNode ie = present(body, "ignore_eos");
        Boolean ignoreEos = ie == null ? null : v.bool(ie, "ignore_eos");
        return new GenerationParams(maxTokens, temperature, topP, topK, seed, stop, n, ignoreEos);
    }

    private static String nonEmpty(String s, String param, BodyValues v) throws InvalidRequestException {
        if (s.isEmpty()) {
            throw v.invalid(param, "must not be an empty string");
        }
        return s;
    }

    /** The value of a body parameter, or {@code null} when it is absent or null. */
    private static JsonNode present(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }
}
