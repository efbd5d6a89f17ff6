package dev.batchwise.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which body parameters batchwise honours, accepts with a warning, or refuses, by endpoint. No
 * parameter is silently ignored: one batchwise does not implement fails its line, unless it has no
 * effect on the answer (then the run warns once, naming it) or carries its default value (then it
 * changes nothing). A parameter set to {@code null} counts as absent, as OpenAI's API has it.
 * docs/openai-batch.md prints this table.
 */
public final class Parameters {

    /** Error codes, as OpenAI's API names them. */
    public static final String UNSUPPORTED_PARAMETER = "unsupported_parameter";
    public static final String UNKNOWN_PARAMETER = "unknown_parameter";
    public static final String UNSUPPORTED_VALUE = "unsupported_value";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String MISSING_PARAMETER = "missing_required_parameter";

    /** What batchwise does with a parameter. */
    public enum Disposition {
        /** Read and acted on. */
        HONOURED,
        /** Accepted, has no effect on the answer; the run warns once, naming it. */
        IGNORED,
        /** Accepted at its default value only (which changes nothing); any other value fails the line. */
        DEFAULT_ONLY,
        /** Fails the line: batchwise does not implement it. */
        REFUSED
    }

    /** One known parameter: where it applies, what batchwise does with it, and why. */
    public record Rule(String name, Set<Endpoint> endpoints, Disposition disposition, JsonNode defaultValue, String why) {}

    private static final Set<Endpoint> GEN = EnumSet.of(Endpoint.CHAT_COMPLETIONS, Endpoint.COMPLETIONS);
    private static final Set<Endpoint> CHAT = EnumSet.of(Endpoint.CHAT_COMPLETIONS);
    private static final Set<Endpoint> COMPLETION = EnumSet.of(Endpoint.COMPLETIONS);
    private static final Set<Endpoint> EMBED = EnumSet.of(Endpoint.EMBEDDINGS);
    private static final Set<Endpoint> ALL = EnumSet.allOf(Endpoint.class);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        honoured("model", ALL, "echoed in the answer; the model that runs is the one the run names");
        honoured("messages", CHAT, "rendered with the model's chat template");
        honoured("prompt", COMPLETION, "one prompt: a string, a list of one string, or a list of token ids");
        honoured("input", EMBED, "a string, a list of strings, a list of token ids, or a list of such lists");
        honoured("max_tokens", GEN, "the most tokens each choice generates");
        honoured("max_completion_tokens", CHAT, "the same as max_tokens; both given must agree");
        honoured("temperature", GEN, "0 to 2; 0 is greedy decoding");
        honoured("top_p", GEN, "above 0, at most 1");
        honoured("seed", GEN, "seeds the request's random generators");
        honoured("stop", GEN, "a string or up to 4 strings");
        honoured("n", GEN, "1 to 128 choices");
        honoured("top_k", GEN, "vLLM's extension: keep the k most likely tokens");
        honoured("ignore_eos", GEN, "vLLM's extension: go on past the model's stop tokens");
        honoured("encoding_format", EMBED, "float or base64");
        honoured("dimensions", EMBED, "accepted when it equals the model's embedding size, refused otherwise");

        ignored("user", ALL, "an end-user id for OpenAI's abuse monitoring; no effect offline");
        ignored("metadata", CHAT, "stored with the completion by OpenAI; batchwise stores nothing");
        ignored("store", CHAT, "OpenAI's storage of the completion; batchwise stores nothing");
        ignored("service_tier", CHAT, "OpenAI's processing tier; no effect offline");
        ignored("safety_identifier", CHAT, "an end-user id for OpenAI's abuse monitoring; no effect offline");
        ignored("prompt_cache_key", CHAT, "OpenAI's prompt cache; no effect offline");

        defaultOnly("stream", GEN, F.booleanNode(false), "a batch answer is never streamed");
        defaultOnly("frequency_penalty", GEN, F.numberNode(0), "penalties are not implemented");
        defaultOnly("presence_penalty", GEN, F.numberNode(0), "penalties are not implemented");
        defaultOnly("logit_bias", GEN, F.objectNode(), "logit bias is not implemented");
        defaultOnly("logprobs", CHAT, F.booleanNode(false), "log probabilities are not returned");
        defaultOnly("top_logprobs", CHAT, F.numberNode(0), "log probabilities are not returned");
        defaultOnly("response_format", CHAT, F.objectNode().put("type", "text"),
                "structured output (json_object, json_schema) is not implemented");
        defaultOnly("modalities", CHAT, F.arrayNode().add("text"), "only text is generated");
        defaultOnly("parallel_tool_calls", CHAT, F.booleanNode(true), "tools are not implemented");
        defaultOnly("echo", COMPLETION, F.booleanNode(false), "the prompt is not repeated in the answer");
        defaultOnly("best_of", COMPLETION, F.numberNode(1), "best-of selection is not implemented; use n");

        refused("tools", CHAT, "tools (function calling) are not implemented");
        refused("tool_choice", CHAT, "tools (function calling) are not implemented");
        refused("functions", CHAT, "functions (function calling) are not implemented");
        refused("function_call", CHAT, "functions (function calling) are not implemented");
        refused("audio", CHAT, "only text is generated");
        refused("prediction", CHAT, "predicted outputs are not implemented");
        refused("reasoning_effort", CHAT, "reasoning effort is not implemented");
        refused("verbosity", CHAT, "verbosity is not implemented");
        refused("web_search_options", CHAT, "web search is not available offline");
        refused("stream_options", GEN, "a batch answer is never streamed");
        refused("suffix", COMPLETION, "insertion (suffix) is not implemented");
        refused("logprobs", COMPLETION, "log probabilities are not returned");
    }

    private Parameters() {}

    private static void put(String name, Set<Endpoint> where, Disposition d, JsonNode dflt, String why) {
        for (Endpoint e : where) {
            RULES.put(key(name, e), new Rule(name, where, d, dflt, why));
        }
    }

    private static void honoured(String name, Set<Endpoint> where, String why) {
        put(name, where, Disposition.HONOURED, null, why);
    }

    private static void ignored(String name, Set<Endpoint> where, String why) {
        put(name, where, Disposition.IGNORED, null, why);
    }

    private static void defaultOnly(String name, Set<Endpoint> where, JsonNode dflt, String why) {
        put(name, where, Disposition.DEFAULT_ONLY, dflt, why);
    }

    private static void refused(String name, Set<Endpoint> where, String why) {
        put(name, where, Disposition.REFUSED, null, why);
    }

    private static String key(String name, Endpoint e) {
        return e.name() + ":" + name;
    }

    /** The rule for a body parameter of an endpoint, or {@code null} for one batchwise does not know. */
    public static Rule rule(Endpoint endpoint, String name) {
        return RULES.get(key(name, endpoint));
    }

    /** Why an {@link Disposition#IGNORED} parameter changes nothing, for the run's warning. */
    public static String ignoredWhy(String name) {
        for (Rule r : RULES.values()) {
            if (r.name().equals(name) && r.disposition() == Disposition.IGNORED) {
                return r.why();
            }
        }
        throw new IllegalArgumentException("not an ignored parameter: " + name);
    }

    /** Every rule, once each, in the order docs/openai-batch.md lists them. */
    public static java.util.Collection<Rule> rules() {
        Map<String, Rule> once = new LinkedHashMap<>();
        for (Rule r : RULES.values()) {
            once.putIfAbsent(r.name() + ":" + r.endpoints(), r);
        }
        return once.values();
    }

    /** Whether {@code value} is the rule's default: equal as JSON, numbers compared by value. */
    static boolean isDefault(Rule rule, JsonNode value) {
        JsonNode d = rule.defaultValue();
        if (d.isNumber() && value.isNumber()) {
            return d.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return d.equals(value);
    }
}
