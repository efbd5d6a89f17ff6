package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real chat templates, rendered by batchwise (jinjava) and by transformers.js's apply_chat_template
 * (@huggingface/jinja): the strings must be equal, and where transformers.js's render raised the
 * template's exception, batchwise's must fail with the same message. The expected strings were written
 * by scripts/chat-template-expectations.mjs; docs/openai-batch.md says how it was run.
 */
class ChatTemplateComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode expected;

    @BeforeAll
    static void load() throws Exception {
        expected = read("/openai/chat-template-expected.json");
    }

    private static JsonNode read(String resource) throws Exception {
        try (InputStream in = ChatTemplateComparisonTest.class.getResourceAsStream(resource)) {
            return JSON.readTree(in);
        }
    }

    static Stream<Arguments> cases() throws Exception {
        load();
        List<Arguments> all = new ArrayList<>();
        expected.get("templates").fields().forEachRemaining(t -> t.getValue().get("cases").forEach(c ->
                all.add(Arguments.of(t.getKey(), c.get("conversation").asText(), c.get("add_generation_prompt").asBoolean(), c))));
        return all.stream();
    }

    private static List<ChatMessage> conversation(String name) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : expected.get("conversations").get(name)) {
            if (m.has("parts")) {
                List<String> parts = new ArrayList<>();
                m.get("parts").forEach(p -> parts.add(p.asText()));
                out.add(ChatMessage.ofParts(m.get("role").asText(), parts));
            } else {
                out.add(ChatMessage.of(m.get("role").asText(), m.get("content").asText()));
            }
        }
        return out;
    }

    private static ChatTemplate template(String name) throws Exception {
        return ChatTemplate.fromTokenizerConfig(read("/openai/templates/" + name + "/tokenizer_config.json"),
                Clock.systemUTC());
    }

    @ParameterizedTest(name = "{0} {1} add_generation_prompt={2}")
    @MethodSource("cases")
    void rendersAsTransformersJsDoes(String template, String conversation, boolean addGenerationPrompt, JsonNode c)
            throws Exception {
        ChatTemplate t = template(template);
        List<ChatMessage> messages = conversation(conversation);
        if (c.has("error")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(messages, addGenerationPrompt));
            assertEquals("the chat template refused the conversation: " + c.get("error").asText(), e.getMessage());
        } else {
            assertEquals(c.get("expected").asText(), t.render(messages, addGenerationPrompt));
        }
    }

    @Test
    void eachTemplateGetsContentPartsAsTheComparisonGaveThem() throws Exception {
        var names = expected.get("templates").fieldNames();
        int n = 0;
        while (names.hasNext()) {
            String name = names.next();
            assertEquals(expected.get("templates").get(name).get("keeps_parts").asBoolean(), template(name).keepsParts(), name);
            n++;
        }
        assertTrue(n >= 3, "at least three real templates");
    }
}
