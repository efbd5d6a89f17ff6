package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.source.Fields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * samples/openai-batch.jsonl, line by line: every good line read as its endpoint's request, every bad
 * one refused with an error of its own; and the rule that tells a batch file from other JSON Lines.
 */
class SampleBatchFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each line of the sample gives: the endpoint it is read as, or the error it gets. */
    private static String outcome(String line) {
        try {
            BatchRequest r = RequestParser.parse(line);
            return r.customId() + " " + r.endpoint() + (r.ignored().isEmpty() ? "" : " ignoring " + r.ignored());
        } catch (InvalidRequestException e) {
            return e.customId() + " " + e.error().statusCode() + " " + e.error().code() + " " + e.error().param();
        }
    }

    @Test
    void everyGoodLineIsReadAndEveryBadOneGetsItsOwnError() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("samples/openai-batch.jsonl"))) {
            outcomes.add(outcome(line));
        }
        assertEquals(List.of(
                "chat-1 chat_completions",
                "chat-2 chat_completions",
                "completion-1 completions",
                "embed-1 embeddings",
                "embed-2 embeddings ignoring [user]",
                "embed-3 embeddings",
                "null 400 invalid_json null",
                "image-1 404 unknown_url url",
                "tools-1 400 unsupported_parameter tools",
                "logprobs-1 400 unsupported_value logprobs"), outcomes);
    }

    private static Fields fields(JsonNode object) {
        Map<String, Object> m = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return new Fields() {
            @Override
            public Object get(String name) {
                return m.get(name);
            }

            @Override
            public List<String> names() {
                return List.copyOf(m.keySet());
            }
        };
    }

    private static boolean detected(String line) throws Exception {
        JsonNode node = JSON.readTree(line);
        boolean byNode = BatchFormat.isRequestLine(node);
        assertEquals(byNode, node.isObject() && BatchFormat.isRequestLine(fields(node)), line);
        return byNode;
    }

    @Test
    void aBatchFileIsToldByItsFirstObjectHavingExactlyTheRequestKeys() throws Exception {
        assertTrue(detected(Files.readAllLines(Path.of("samples/openai-batch.jsonl")).get(0)));
        assertTrue(detected("{\"body\": {}, \"url\": \"/v1/anything\", \"method\": \"GET\", \"custom_id\": 3}"));
        assertFalse(detected(Files.readAllLines(Path.of("samples/tickets.jsonl")).get(0)));
        assertFalse(detected("{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": {}, \"text\": \"x\"}"));
        assertFalse(detected("{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/embeddings\"}"));
        assertFalse(detected("{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"v1/embeddings\", \"body\": {}}"));
        assertFalse(detected("{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": \"{}\"}"));
        assertFalse(detected("[\"custom_id\", \"method\", \"url\", \"body\"]"));
        assertNull(Endpoint.ofUrl("/v1/responses"));
    }
}
