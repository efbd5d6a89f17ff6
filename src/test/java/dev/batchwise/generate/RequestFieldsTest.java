package dev.batchwise.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestFieldsTest {

    private static final SamplingParams DEFAULTS = new SamplingParams(16, 0, 1, 0, List.of(), false);

    private static Map<String, Object> json(String text) throws Exception {
        JsonNode n = JsonMapper.builder().build().readTree(text);
        Map<String, Object> out = new HashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Test
    void jsonFieldsOverTheDefaults() throws Exception {
        GenerationRequest r = RequestFields.toRequest(json("{\"prompt\":\"Hi\",\"max_tokens\":5,\"temperature\":0.7,"
                + "\"top_p\":0.9,\"top_k\":40,\"stop\":[\"\\n\",\"END\"],\"ignore_eos\":true}"), DEFAULTS, 1, 0, false);
        assertEquals("Hi", r.promptText());
        assertEquals(new SamplingParams(5, 0.7, 0.9, 40, List.of("\n", "END"), true), r.params());
        GenerationRequest plain = RequestFields.toRequest(json("{\"prompt\":\"Hi\",\"top_p\":null}"), DEFAULTS, 1, 0, false);
        assertEquals(DEFAULTS, plain.params());
    }

    @Test
    void csvTextFields() {
        GenerationRequest r = RequestFields.toRequest(Map.of("prompt", "Hi", "max_tokens", " 7 ", "stop", "###",
                "ignore_eos", "TRUE", "temperature", ""), DEFAULTS, 1, 0, false);
        assertEquals(new SamplingParams(7, 0, 1, 0, List.of("###"), true), r.params());
    }

    @Test
    void eachMistakeNamesItsField() throws Exception {
        assertEquals("field 'max_tokens' must be from 1 to 2147483647, not 0", assertThrows(IllegalArgumentException.class,
                () -> RequestFields.toRequest(json("{\"prompt\":\"a\",\"max_tokens\":0}"), DEFAULTS, 1, 0, false)).getMessage());
        assertEquals("field 'top_p' must be a number, not 'lots'", assertThrows(IllegalArgumentException.class,
                () -> RequestFields.toRequest(Map.of("prompt", "a", "top_p", "lots"), DEFAULTS, 1, 0, false)).getMessage());
        assertEquals("field 'top_p' must be above 0 and at most 1, not 1.5", assertThrows(IllegalArgumentException.class,
                () -> RequestFields.toRequest(Map.of("prompt", "a", "top_p", "1.5"), DEFAULTS, 1, 0, false)).getMessage());
        assertEquals("field 'prompt' must be a string, not number", assertThrows(IllegalArgumentException.class,
                () -> RequestFields.toRequest(json("{\"prompt\":3}"), DEFAULTS, 1, 0, false)).getMessage());
        assertEquals("no 'prompt' field", assertThrows(IllegalArgumentException.class,
                () -> RequestFields.toRequest(Map.of("text", "a"), DEFAULTS, 1, 0, false)).getMessage());
    }
}
