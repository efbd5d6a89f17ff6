package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.batchwise.result.Failure;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * batchwise's answer and error lines, and the sample batch file's requests, checked against OpenAI's
 * published schema (src/test/resources/openai/openai-schemas.json, extracted from openai-openapi by
 * scripts/extract-openai-schemas.py) with a JSON Schema 2020-12 validator.
 */
class OpenAiSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode components;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final AnswerLines ANSWERS = new AnswerLines(new LineIds("run-key"), "Qwen3-0.6B");

    @BeforeAll
    static void loadSchemas() throws Exception {
        try (InputStream in = OpenAiSchemaTest.class.getResourceAsStream("/openai/openai-schemas.json")) {
            components = JSON.readTree(in).get("components");
        }
    }

    private static List<String> errors(String schemaName, JsonNode value) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.set("components", components);
        Schema schema = REGISTRY.getSchema(root);
        return schema.validate(value).stream().map(Error::toString).toList();
    }

    private static void assertValid(String schemaName, JsonNode value) {
        assertEquals(List.of(), errors(schemaName, value), () -> schemaName + ": " + value.toPrettyString());
    }

    private static BatchRequest request(String line) throws InvalidRequestException {
        return RequestParser.parse(line);
    }

    @Test
    void aChatAnswerWithSeveralChoicesFitsTheSchema() throws Exception {
        BatchRequest r = request("{\"custom_id\": \"c1\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
                + "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"n\": 2}}");
        ObjectNode line = ANSWERS.completion(3, r, List.of(new Choice("Hello!", "stop", 3), new Choice("Hi there", "length", 4)),
                11, 1_760_000_000L);
        assertValid("BatchRequestOutput", line);
        JsonNode body = line.at("/response/body");
        assertValid("CreateChatCompletionResponse", body);
        assertEquals("chat.completion", body.get("object").asText());
        assertEquals("gpt-4o-mini", body.get("model").asText());
        assertEquals(1, body.at("/choices/1/index").asInt());
        assertEquals("Hi there", body.at("/choices/1/message/content").asText());
        assertEquals("length", body.at("/choices/1/finish_reason").asText());
        assertEquals(JSON.readTree("{\"prompt_tokens\": 11, \"completion_tokens\": 7, \"total_tokens\": 18}"), body.get("usage"));
        assertEquals("c1", line.get("custom_id").asText());
        assertEquals(200, line.at("/response/status_code").asInt());
        assertTrue(line.get("error").isNull());
    }

    @Test
    void aCompletionAnswerFitsTheSchemaAndNamesTheServedModelWhenTheBodyNamesNone() throws Exception {
        BatchRequest r = request("{\"custom_id\": \"t1\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": "
                + "{\"prompt\": \"Once upon\", \"max_tokens\": 5}}");
        ObjectNode line = ANSWERS.completion(4, r, List.of(new Choice(" a time", "length", 5)), 2, 1_760_000_000L);
        assertValid("BatchRequestOutput", line);
        JsonNode body = line.at("/response/body");
        assertValid("CreateCompletionResponse", body);
        assertEquals("text_completion", body.get("object").asText());
        assertEquals("Qwen3-0.6B", body.get("model").asText());
        assertEquals(" a time", body.at("/choices/0/text").asText());
        assertTrue(body.get("id").asText().startsWith("cmpl-"));
    }

    @Test
    void embeddingAnswersFitTheSchemaAsFloatsAndAsBase64() throws Exception {
        float[] a = {0.25f, -1.5f, 3.0e-8f};
        float[] b = {1f, 0f, -0f};
        BatchRequest floats = request("{\"custom_id\": \"e1\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": "
                + "{\"model\": \"text-embedding-3-small\", \"input\": [\"a\", \"b\"]}}");
        ObjectNode line = ANSWERS.embeddings(5, floats, List.of(a, b), 6);
        assertValid("BatchRequestOutput", line);
        JsonNode body = line.at("/response/body");
        assertValid("CreateEmbeddingResponse", body);
        assertEquals(1, body.at("/data/1/index").asInt());
        assertEquals(-1.5, body.at("/data/0/embedding/1").asDouble());
        assertEquals(JSON.readTree("{\"prompt_tokens\": 6, \"total_tokens\": 6}"), body.get("usage"));

        BatchRequest base64 = request("{\"custom_id\": \"e2\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": "
                + "{\"input\": [\"a\", \"b\"], \"encoding_format\": \"base64\"}}");
        ObjectNode encoded = ANSWERS.embeddings(6, base64, List.of(a, b), 6);
        assertValid("BatchRequestOutput", encoded);
        // OpenAI's schema types every embedding as a list of numbers, though its service (and so batchwise)
        // writes a base64 string when asked; the body fits once the strings are decoded.
        ObjectNode decoded = encoded.at("/response/body").deepCopy();
        for (JsonNode e : decoded.get("data")) {
            float[] v = Vectors.fromBase64(e.get("embedding").asText());
            ArrayNode list = JSON.createArrayNode();
            for (float x : v) {
                list.add(x);
            }
            ((ObjectNode) e).set("embedding", list);
        }
        assertValid("CreateEmbeddingResponse", decoded);
        assertArrayEquals(a, Vectors.fromBase64(encoded.at("/response/body/data/0/embedding").asText()));
    }

    @Test
    void base64IsLittleEndianFloat32AsNumpyWritesIt() {
        // base64.b64encode(numpy.array([0.25, -1.5, 3e-8, 1, 0], dtype='<f4').tobytes()).decode()
        assertEquals("AACAPgAAwL9Z2QAzAACAPwAAAAA=", Vectors.base64(new float[] {0.25f, -1.5f, 3.0e-8f, 1f, 0f}));
    }

    @Test
    void errorLinesFitTheSchemaWithAndWithoutACustomId() throws Exception {
        InvalidRequestException unknownUrl = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                () -> request("{\"custom_id\": \"x\", \"method\": \"POST\", \"url\": \"/v1/moderations\", \"body\": {}}"));
        ObjectNode line = ANSWERS.error(7, unknownUrl.customId(), unknownUrl.error());
        assertValid("BatchRequestOutput", line);
        assertValid("ErrorResponse", line.at("/response/body"));
        assertEquals(404, line.at("/response/status_code").asInt());
        assertEquals("url", line.at("/response/body/error/param").asText());
        assertEquals("x", line.get("custom_id").asText());

        InvalidRequestException notJson = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                () -> request("{oops"));
        ObjectNode anonymous = ANSWERS.error(8, notJson.customId(), notJson.error());
        assertValid("BatchRequestOutput", anonymous);
        assertValid("ErrorResponse", anonymous.at("/response/body"));
        assertFalse(anonymous.has("custom_id"));
        assertTrue(anonymous.at("/response/body/error/param").isNull());

        ObjectNode timedOut = ANSWERS.error(9, "t", AnswerLines.errorOf(new Failure(Failure.Code.TIMEOUT, "waited 5s")));
        assertValid("BatchRequestOutput", timedOut);
        assertEquals(500, timedOut.at("/response/status_code").asInt());
        assertEquals("timeout", timedOut.at("/response/body/error/code").asText());
    }

    @Test
    void theValidatorRejectsWhatTheSchemaForbids() throws Exception {
        BatchRequest r = request("{\"custom_id\": \"c1\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
                + "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}}");
        ObjectNode body = (ObjectNode) ANSWERS.completion(1, r, List.of(new Choice("x", "stop", 1)), 1, 1L).at("/response/body");
        ObjectNode noLogprobs = body.deepCopy();
        ((ObjectNode) noLogprobs.at("/choices/0")).remove("logprobs");
        assertFalse(errors("CreateChatCompletionResponse", noLogprobs).isEmpty());
        ObjectNode textCreated = body.deepCopy().put("created", "now");
        assertFalse(errors("CreateChatCompletionResponse", textCreated).isEmpty());
        assertFalse(errors("BatchRequestOutput", JSON.readTree("{\"id\": 3}")).isEmpty());
    }

    @Test
    void idsAreUniquePerLineAndTheSameForTheSameRunAndLine() {
        LineIds ids = new LineIds("run-key");
        assertEquals(ids.batchRequestId(5), new LineIds("run-key").batchRequestId(5));
        assertNotEquals(ids.batchRequestId(5), ids.batchRequestId(6));
        assertNotEquals(ids.batchRequestId(5), new LineIds("other-run").batchRequestId(5));
        assertNotEquals(ids.requestId(5).substring(4), ids.batchRequestId(5).substring(10));
        assertTrue(ids.batchRequestId(5).matches("batch_req_[0-9a-f]{32}"));
        assertTrue(ids.completionId(5, Endpoint.CHAT_COMPLETIONS).matches("chatcmpl-[0-9a-f]{32}"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long line = 1; line <= 10_000; line++) {
            assertTrue(seen.add(ids.batchRequestId(line)));
        }
    }

    @Test
    void theSampleBatchFilesGoodRequestsFitOpenAisRequestSchemas() throws Exception {
        int good = 0;
        for (String text : Files.readAllLines(Path.of("samples/openai-batch.jsonl"))) {
            BatchRequest r;
            try {
                r = RequestParser.parse(text);
            } catch (InvalidRequestException e) {
                continue;
            }
            JsonNode line = JSON.readTree(text);
            assertValid("BatchRequestInput", line);
            assertTrue(BatchFormat.isRequestLine(line));
            String schema = switch (r.endpoint()) {
                case CHAT_COMPLETIONS -> "CreateChatCompletionRequest";
                case COMPLETIONS -> "CreateCompletionRequest";
                case EMBEDDINGS -> "CreateEmbeddingRequest";
            };
            JsonNode body = line.get("body");
            if (!body.has("model")) {
                continue;
            }
            assertValid(schema, body);
            good++;
        }
        assertTrue(good >= 5, "the sample has good requests of every endpoint: " + good);
    }
}
