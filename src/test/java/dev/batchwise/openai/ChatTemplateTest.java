package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Jinja features chat templates use, each rendered as Jinja2 renders it under Hugging Face's
 * settings (the expected strings are Jinja2's), or refused with a message naming what is not supported.
 */
class ChatTemplateTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T14:07:09Z"), ZoneOffset.UTC);
    private static final List<ChatMessage> CHAT = List.of(ChatMessage.of("system", "  Be brief. "),
            ChatMessage.of("user", "Hi <think>x</think> there"), ChatMessage.of("assistant", "Hello"));

    private static String render(String template, List<ChatMessage> messages, boolean addGenerationPrompt) throws Exception {
        return ChatTemplate.of(template, Map.of("bos_token", "<s>", "eos_token", "</s>"), CLOCK)
                .render(messages, addGenerationPrompt);
    }

    private static String render(String template) throws Exception {
        return render(template, CHAT, true);
    }

    @Test
    void blocksTrimTheirNewlineAndLeadingSpaceAndOneTrailingNewlineIsDropped() throws Exception {
        assertEquals("a\n    yes\nb", render("a\n  {% if true %}\n    yes\n  {% endif %}\nb\n"));
        assertEquals("x\n", render("x\n\n"));
        assertEquals("<s>[user]", render("{{ bos_token }}{%- for m in messages -%}\n  {%- if m.role == 'user' %}[{{ m.role }}]{% endif %}\n{%- endfor %}"));
    }

    @Test
    void loopControlsNamespacesAndReversedListsWork() throws Exception {
        assertEquals("system", render("{% for m in messages %}{% if loop.index0 == 1 %}{% break %}{% endif %}{{ m.role }}{% endfor %}"));
        assertEquals("user,assistant,", render("{% for m in messages %}{% if loop.first %}{% continue %}{% endif %}{{ m.role }},{% endfor %}"));
        assertEquals("3 assistant", render("{% set ns = namespace(n=0, last='') %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
                + "{% set ns.last = m.role %}{% endfor %}{{ ns.n }} {{ ns.last }}"));
        assertEquals("2 True", render("{% set ns = namespace(last=messages|length - 1, first=messages[0].role == 'system') %}"
                + "{{ ns.last }} {{ 'True' if ns.first else 'False' }}"));
        assertEquals("assistant,user,system,", render("{% for m in messages[::-1] %}{{ m.role }},{% endfor %}"));
        assertEquals("assistant", render("{{ messages[::-1][0].role }}"));
        assertEquals("user", render("{{ messages[1:][0]['role'] }}"));
        assertEquals("2", render("{{ (messages|length) - 1 }}"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "{{ messages[0].content.strip() }} => Be brief.",
        "{{ messages[0].content.lstrip() }} => `Be brief. `",
        "{{ messages[0].content.rstrip() }} => `  Be brief.`",
        "{{ messages[2].content.strip('Ho') }} => ell",
        "{{ 'T' if (messages[0].content.startswith('  B')) else 'F' }} => T",
        "{{ 'T' if (messages[1].content.endswith(('x', 'there'))) else 'F' }} => T",
        "{{ messages[1].content.split('</think>')[-1] }} => ` there`",
        "{{ messages[1].content.split('</think>')[0].split('<think>')[-1] }} => x",
        "{{ 'a.b.c'.split('.') | length }} => 3",
        "{{ '  a  b '.split() | join('|') }} => a|b",
        "{{ 'a,b,c'.split(',', 1)[1] }} => b,c",
        "{{ 'a,b,c'.rsplit(',', 1)[0] }} => a,b",
        "{{ 'abc'.upper() ~ 'ABC'.lower() }} => ABCabc",
        "{{ 'hello world'.title() }} => Hello World",
        "{{ 'aXbX'.replace('X', '-') }} => a-b-",
        "{{ '-'.join(['a', 'b']) }} => a-b",
        "{{ messages[0].content | trim }} => Be brief.",
        "{{ 'T' if (messages[0]['content'] is string) else 'F' }} => T",
        "{{ 'T' if (messages is string) else 'F' }} => F",
        "{{ 'T' if (undefined_thing is defined) else 'F' }} => F",
        "{{ 'T' if (messages[0].name is defined) else 'F' }} => F",
        "{{ 'T' if (tools is none) else 'F' }} => T",
        "{{ 'T' if (True and not False) else 'F' }} => T",
        "{{ 'T' if (none is none) else 'F' }} => T",
        "{{ messages[0].get('role') }} => system",
        "{{ 'x' if add_generation_prompt else 'y' }} => x",
        "{% generation %}{{ messages[2].content }}{% endgeneration %} => Hello",
        "{{ strftime_now('%d %b %Y, %A %-d %B %H:%M:%S') }} => 05 Mar 2026, Thursday 5 March 14:07:09",
    })
    void pythonStringMethodsTestsAndHuggingFacesGlobalsWork(String template, String expected) throws Exception {
        assertEquals(expected, render(template));
    }

    @Test
    void tojsonWritesWhatPythonsJsonDumpsWrites() throws Exception {
        // Expected strings from Python 3's json.dumps(x, ensure_ascii=False[, indent=2]) on
        // {"role": "user", "n": [1, 2.5, True, None], "t": "é\"\n"}
        String t = "{% set x = {'role': 'user', 'n': [1, 2.5, true, none], 't': 'é\"\\n'} %}";
        assertEquals("{\"role\": \"user\", \"n\": [1, 2.5, true, null], \"t\": \"é\\\"\\n\"}", render(t + "{{ x | tojson }}"));
        assertEquals("{\n  \"role\": \"user\",\n  \"n\": [\n    1,\n    2.5,\n    true,\n    null\n  ],\n  \"t\": \"é\\\"\\n\"\n}",
                render(t + "{{ x | tojson(indent=2) }}"));
        assertEquals("{\"n\": [1, 2.5, true, null], \"role\": \"user\", \"t\": \"é\\\"\\n\"}",
                render(t + "{{ x | tojson(sort_keys=true) }}"));
    }

    @Test
    void raiseExceptionFailsTheRenderWithTheTemplatesOwnMessage() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> render(
                "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
                        + "{{ m.content }}{% endfor %}"));
        assertEquals("the chat template refused the conversation: System role not supported", e.getMessage());
    }

    @Test
    void constructsJinjavaWouldMisreadAreRefusedByName() {
        assertTrue(assertThrows(ChatTemplateException.class, () -> render("{% for m in messages if m.role != 'system' %}"
                + "{{ m.role }}{% endfor %}")).getMessage().contains("filters a loop"));
        assertTrue(assertThrows(ChatTemplateException.class, () -> render("{{ messages[::2] }}")).getMessage()
                .contains("slices with a step ([::2])"));
        assertTrue(assertThrows(ChatTemplateException.class, () -> render("{{ strftime_now('%G') }}")).getMessage()
                .contains("%G is not supported"));
    }

    @Test
    void anErrorInTheTemplateFailsTheRenderNamingIt() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> render("{{ messages[0].content.frobnicate() }}"));
        assertTrue(e.getMessage().startsWith("the chat template failed"), e.getMessage());
    }

    @Test
    void contentAsPartsIsKeptForTemplatesThatLoopOverItAndJoinedForTheOthers() throws Exception {
        List<ChatMessage> parts = List.of(ChatMessage.ofParts("user", List.of("one", "two")));
        String loops = "{% for m in messages %}{% if m['content'] is string %}S:{{ m['content'] }}{% else %}"
                + "{% for p in m['content'] %}[{{ p.text }}]{% endfor %}{% endif %}{% endfor %}";
        assertEquals("[one][two]", render(loops, parts, false));
        assertTrue(ChatTemplate.of(loops, Map.of(), CLOCK).keepsParts());
        String plain = "{% for m in messages %}{% if m.content is string %}S:{{ m.content }}{% else %}L{% endif %}{% endfor %}";
        assertEquals("S:one\ntwo", render(plain, parts, false));
        assertFalse(ChatTemplate.of(plain, Map.of(), CLOCK).keepsParts());
    }

    @Test
    void specialTokensComeFromTheConfigurationAsStringsOrAddedTokens() throws Exception {
        var config = new ObjectMapper().readTree("{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<|begin|>\"}, "
                + "\"eos_token\": \"<|end|>\", \"unk_token\": null, \"pad_token\": \"\", \"additional_special_tokens\": [\"<a>\"], "
                + "\"extra_special_tokens\": {\"image_token\": \"<img>\"}, \"chat_template\": \"{{ bos_token }}|{{ eos_token }}|"
                + "{{ 'T' if unk_token is defined else 'F' }}|{{ 'T' if pad_token is defined else 'F' }}|{{ additional_special_tokens[0] }}|{{ image_token }}\"}");
        ChatTemplate t = ChatTemplate.fromTokenizerConfig(config, CLOCK);
        assertEquals("<|begin|>|<|end|>|F|F|<a>|<img>", t.render(CHAT, false));
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.fromTokenizerConfig(new ObjectMapper().readTree("{}"), CLOCK));
        var named = new ObjectMapper().readTree("{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"T\"}, "
                + "{\"name\": \"default\", \"template\": \"D\"}]}");
        assertEquals("D", ChatTemplate.fromTokenizerConfig(named, CLOCK).render(CHAT, false));
    }
}
