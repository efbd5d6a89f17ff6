package dev.batchwise.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's chat template, rendered by a real Jinja engine (jinjava) set up as Hugging Face's
 * {@code apply_chat_template} sets up Jinja2: {@code trim_blocks} and {@code lstrip_blocks} on, one
 * trailing newline dropped, loop controls ({@code break}, {@code continue}), {@code raise_exception},
 * {@code strftime_now}, {@code tojson} as Python's {@code json.dumps}, and Python's string methods.
 * The template sees {@code messages}, {@code add_generation_prompt}, {@code tools} and
 * {@code documents} (both none) and the tokenizer's special tokens ({@code bos_token},
 * {@code eos_token}, {@code unk_token}, {@code sep_token}, {@code pad_token}, {@code cls_token},
 * {@code mask_token} where the configuration sets them, {@code additional_special_tokens}, and the
 * named {@code extra_special_tokens}).
 *
 * <p>Immutable and thread-safe: each render has its own interpreter.
 */
public final class ChatTemplate {

    static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
            "cls_token", "mask_token");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final String prepared;
    private final boolean keepsParts;
    private final Map<String, Object> specialTokens;
    private final Clock clock;
    private final Jinjava jinjava;

    private ChatTemplate(String source, Map<String, Object> specialTokens, Clock clock) throws ChatTemplateException {
        this.source = source;
        this.prepared = TemplateSource.prepare(source);
        this.keepsParts = TemplateSource.loopsOverContent(source);
        this.specialTokens = Collections.unmodifiableMap(new LinkedHashMap<>(specialTokens));
        this.clock = clock;
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStrings());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withKeepTrailingNewline(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withAllowAdjacentTextNodes(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .build())
                .withElResolver(resolver)
                .withMaxRenderDepth(64)
                .build();
        this.jinjava = new Jinjava(config);
        var context = jinjava.getGlobalContext();
        try {
            context.registerFunction(new ELFunctionDefinition("", "raise_exception", JinjaExtensions.class,
                    "raiseException", Object.class));
            context.registerFunction(new ELFunctionDefinition("", "strftime_now", JinjaExtensions.class,
                    "strftimeNow", String.class));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot register the chat template functions", e);
        }
        context.registerFilter(new JinjaExtensions.ToJson());
        context.registerFilter(new JinjaExtensions.Trim());
        context.registerTag(new JinjaExtensions.Generation());
    }

    /**
     * A template with its special tokens.
     *
     * @param specialTokens the variables the tokenizer's special tokens give the template, by name
     * @param clock the time {@code strftime_now} formats
     * @throws ChatTemplateException when the template uses a construct batchwise cannot render faithfully
     */
    public static ChatTemplate of(String source, Map<String, Object> specialTokens, Clock clock) throws ChatTemplateException {
        return new ChatTemplate(source, specialTokens, clock);
    }

    /**
     * The template of a {@code tokenizer_config.json}: its {@code chat_template} (a string, or a list of
     * named templates, of which the one named {@code default}), with its special tokens.
     *
     * @throws ChatTemplateException when the configuration has no chat template, or an unusable one
     */
    public static ChatTemplate fromTokenizerConfig(JsonNode config, Clock clock) throws ChatTemplateException {
        return fromTokenizerConfig(config, null, clock);
    }

    private static ChatTemplate fromTokenizerConfig(JsonNode config, String separateTemplate, Clock clock)
            throws ChatTemplateException {
        String template = separateTemplate;
        if (template == null) {
            JsonNode t = config.get("chat_template");
            if (t != null && t.isTextual()) {
                template = t.textValue();
            } else if (t != null && t.isArray()) {
                for (JsonNode named : t) {
                    if ("default".equals(named.path("name").asText(null))) {
                        template = named.path("template").asText(null);
                    }
                }
            }
        }
        if (template == null) {
            throw new ChatTemplateException("the model has no chat template (tokenizer_config.json has no "
                    + "\"chat_template\", and there is no chat_template.jinja beside it); chat requests need one");
        }
        return new ChatTemplate(template, specialTokens(config), clock);
    }

    /**
     * The chat template of a model directory, as Hugging Face's tokenizers find it: {@code chat_template.jinja}
     * if there is one, else {@code chat_template.json}'s {@code chat_template}, else
     * {@code tokenizer_config.json}'s; the special tokens from {@code tokenizer_config.json}.
     */
    public static ChatTemplate load(Path modelDir, Clock clock) throws IOException, ChatTemplateException {
        Path configFile = modelDir.resolve("tokenizer_config.json");
        JsonNode config = Files.exists(configFile) ? JSON.readTree(configFile.toFile()) : JSON.createObjectNode();
        String separate = null;
        Path jinja = modelDir.resolve("chat_template.jinja");
        Path json = modelDir.resolve("chat_template.json");
        if (Files.exists(jinja)) {
            separate = Files.readString(jinja, StandardCharsets.UTF_8);
        } else if (Files.exists(json)) {
            separate = JSON.readTree(json.toFile()).path("chat_template").asText(null);
        }
        return fromTokenizerConfig(config, separate, clock);
    }

    /** The variables a tokenizer configuration's special tokens give a template. */
    static Map<String, Object> specialTokens(JsonNode config) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : SPECIAL_TOKENS) {
            String token = tokenText(config.get(name));
            if (token != null && !token.isEmpty()) {
                out.put(name, token);
            }
        }
        JsonNode additional = config.get("additional_special_tokens");
        if (additional != null && additional.isArray() && !additional.isEmpty()) {
            List<String> list = new ArrayList<>();
            additional.forEach(t -> list.add(tokenText(t)));
            out.put("additional_special_tokens", list);
        }
        JsonNode extra = config.get("extra_special_tokens");
        if (extra != null && extra.isObject()) {
            extra.properties().forEach(e -> {
                String token = tokenText(e.getValue());
                if (token != null) {
                    out.putIfAbsent(e.getKey(), token);
                }
            });
        }
        return out;
    }

    private static String tokenText(JsonNode t) {
        if (t == null || t.isNull()) {
            return null;
        }
        if (t.isTextual()) {
            return t.textValue();
        }
        return t.isObject() && t.path("content").isTextual() ? t.get("content").textValue() : null;
    }

    /** The template's source, as the model gives it. */
    public String source() {
        return source;
    }

    /**
     * Whether the template reads message content as OpenAI's list of parts (it loops over it); when not,
     * a message given as parts reaches it as one string, the texts joined with a newline.
     */
    public boolean keepsParts() {
        return keepsParts;
    }

    public Map<String, Object> specialTokens() {
        return specialTokens;
    }

    /**
     * Renders a conversation.
     *
     * @param addGenerationPrompt whether to end with the start of the assistant's turn (chat requests do)
     * @throws ChatTemplateException with the template's own message when it calls {@code raise_exception},
     *     or naming the error
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) throws ChatTemplateException {
        List<Object> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            list.add(m.templateValue(keepsParts));
        }
        Map<String, Object> bindings = new HashMap<>(specialTokens);
        bindings.put("messages", list);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("tools", null);
        bindings.put("documents", null);
        JinjaExtensions.Render state = new JinjaExtensions.Render(ZonedDateTime.now(clock));
        JinjaExtensions.CURRENT.set(state);
        RenderResult result;
        try {
            result = jinjava.renderForResult(prepared, bindings);
        } catch (RuntimeException e) {
            throw failure(state, null, e);
        } finally {
            JinjaExtensions.CURRENT.remove();
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(state, error, null);
            }
        }
        if (state.raised != null || state.unsupported != null) {
            throw failure(state, null, null);
        }
        return result.getOutput();
    }

    private static ChatTemplateException failure(JinjaExtensions.Render state, TemplateError error, RuntimeException e) {
        if (state.raised != null) {
            return new ChatTemplateException("the chat template refused the conversation: " + state.raised);
        }
        if (state.unsupported != null) {
            return new ChatTemplateException("the chat template uses " + state.unsupported);
        }
        if (error != null) {
            return new ChatTemplateException("the chat template failed" + (error.getLineno() > 0 ? " at its line "
                    + error.getLineno() : "") + ": " + error.getMessage());
        }
        return new ChatTemplateException("the chat template failed: " + e.getMessage(), e);
    }
}
