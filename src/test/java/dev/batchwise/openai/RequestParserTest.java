package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request lines: the envelope, each endpoint's body, and each kind of refusal with its own error. */
class RequestParserTest {

    private static String chat(String bodyExtra) {
        return "{\"custom_id\": \"r1\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": {\"model\": \"gpt-4o-mini\", "
                + "\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]" + bodyExtra + "}}";
    }

    private static InvalidRequestException refused(String line) {
        return assertThrows(InvalidRequestException.class, () -> RequestParser.parse(line));
    }

    @Test
    void aChatLineWithEveryHonouredParameterIsReadWhole() throws Exception {
        BatchRequest r = RequestParser.parse("{\"custom_id\": \"q-7\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
                + "\"body\": {\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, "
                + "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Hello\"}, {\"type\": \"text\", \"text\": \"there\"}]}], "
                + "\"max_completion_tokens\": 12, \"temperature\": 0.7, \"top_p\": 0.9, \"seed\": -3, \"stop\": [\"\\n\\n\", \"END\"], "
                + "\"n\": 3, \"top_k\": 40, \"ignore_eos\": false}}");
        assertEquals("q-7", r.customId());
        assertEquals(Endpoint.CHAT_COMPLETIONS, r.endpoint());
        assertEquals("gpt-4o", r.model());
        RequestBody.Chat c = (RequestBody.Chat) r.body();
        assertEquals(List.of(ChatMessage.of("system", "Be brief."), ChatMessage.ofParts("user", List.of("Hello", "there"))),
                c.messages());
        assertEquals(new GenerationParams(12, 0.7, 0.9, 40, -3L, List.of("\n\n", "END"), 3, false), c.params());
        assertEquals("Hello\nthere", c.messages().get(1).joinedText());
        assertEquals(List.of(), r.ignored());
    }

    @Test
    void absentAndNullParametersLeaveTheRunsDefaults() throws Exception {
        RequestBody.Chat c = (RequestBody.Chat) RequestParser.parse(chat(", \"temperature\": null, \"stop\": null, \"tools\": null"))
                .body();
        assertEquals(new GenerationParams(null, null, null, null, null, List.of(), 1, null), c.params());
    }

    @Test
    void maxTokensAndMaxCompletionTokensMustAgree() throws Exception {
        assertEquals(5, ((RequestBody.Chat) RequestParser.parse(chat(", \"max_tokens\": 5, \"max_completion_tokens\": 5"))
                .body()).params().maxTokens());
        InvalidRequestException e = refused(chat(", \"max_tokens\": 5, \"max_completion_tokens\": 6"));
        assertEquals("max_completion_tokens", e.error().param());
        assertEquals("r1", e.customId());
    }

    @Test
    void aLineThatIsNotJsonHasNoCustomIdAndSaysWhy() {
        InvalidRequestException e = refused("{\"custom_id\": \"r1\", \"method\": ");
        assertNull(e.customId());
        assertEquals("invalid_json", e.error().code());
        assertEquals(400, e.error().statusCode());
        assertTrue(e.getMessage().startsWith("the line is not valid JSON: "), e.getMessage());
        assertEquals("invalid_request_line", refused("[1, 2]").error().code());
        assertEquals("custom_id", refused("{\"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": {}}").error().param());
        assertNull(refused("{\"custom_id\": 7, \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": {}}").customId());
    }

    @Test
    void anEndpointBatchwiseDoesNotServeIsA404NamingIt() {
        InvalidRequestException e = refused("{\"custom_id\": \"img\", \"method\": \"POST\", \"url\": \"/v1/images/generations\", "
                + "\"body\": {\"prompt\": \"a cat\"}}");
        assertEquals(404, e.error().statusCode());
        assertEquals("img", e.customId());
        assertEquals("unknown_url", e.error().code());
        assertTrue(e.getMessage().contains("POST /v1/images/generations"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"method\": \"GET\", \"url\": \"/v1/embeddings\", \"body\": {\"input\": \"x\"}|method",
        "\"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": \"x\"|body",
        "\"method\": \"POST\", \"url\": 3, \"body\": {}|url",
        "\"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": {\"input\": \"x\"}, \"priority\": 1|priority",
    })
    void theEnvelopeIsCheckedFieldByField(String rest, String param) {
        InvalidRequestException e = refused("{\"custom_id\": \"e\", " + rest + "}");
        assertEquals(param, e.error().param());
        assertEquals("e", e.customId());
    }

    @Test
    void aParameterBatchwiseDoesNotKnowFailsTheLineNamingIt() {
        InvalidRequestException e = refused(chat(", \"temprature\": 0.5"));
        assertEquals(Parameters.UNKNOWN_PARAMETER, e.error().code());
        assertEquals("temprature", e.error().param());
        assertTrue(e.getMessage().contains("'temprature'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]|tools|unsupported_parameter",
        ", \"logprobs\": true|logprobs|unsupported_value",
        ", \"frequency_penalty\": 0.5|frequency_penalty|unsupported_value",
        ", \"response_format\": {\"type\": \"json_object\"}|response_format|unsupported_value",
        ", \"stream\": true|stream|unsupported_value",
    })
    void aParameterBatchwiseDoesNotImplementFailsTheLine(String extra, String param, String code) {
        InvalidRequestException e = refused(chat(extra));
        assertEquals(param, e.error().param());
        assertEquals(code, e.error().code());
        assertTrue(e.getMessage().contains("'" + param + "'"), e.getMessage());
    }

    @Test
    void aParameterAtItsDefaultIsAcceptedAndOneWithoutEffectIsListedForTheWarning() throws Exception {
        BatchRequest r = RequestParser.parse(chat(", \"stream\": false, \"frequency_penalty\": 0.0, \"logit_bias\": {}, "
                + "\"response_format\": {\"type\": \"text\"}, \"user\": \"u-1\", \"store\": false"));
        assertEquals(List.of("user", "store"), r.ignored());
        assertTrue(Parameters.ignoredWhy("user").contains("no effect"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ", \"temperature\": 2.5|temperature",
        ", \"temperature\": \"hot\"|temperature",
        ", \"top_p\": 0|top_p",
        ", \"n\": 0|n",
        ", \"n\": 129|n",
        ", \"max_tokens\": 0|max_tokens",
        ", \"seed\": 1.5|seed",
        ", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]|stop",
        ", \"stop\": \"\"|stop",
        ", \"stop\": [3]|stop[0]",
    })
    void aValueOutOfRangeFailsTheLineNamingTheParameter(String extra, String param) {
        InvalidRequestException e = refused(chat(extra));
        assertEquals(param, e.error().param());
        assertEquals(Parameters.INVALID_VALUE, e.error().code());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]|messages",
        "[{\"role\": \"developer\", \"content\": \"x\"}]|messages[0].role",
        "[{\"role\": \"tool\", \"content\": \"x\"}]|messages[0].role",
        "[{\"role\": \"user\"}]|messages[0].content",
        "[{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]|messages[0].content[0].type",
        "[{\"role\": \"user\", \"content\": \"x\", \"name\": \"bob\"}]|messages[0].name",
        "[{\"role\": \"user\", \"content\": 3}]|messages[0].content",
    })
    void messagesAreSystemUserOrAssistantWithTextContent(String messages, String param) {
        InvalidRequestException e = refused("{\"custom_id\": \"m\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", "
                + "\"body\": {\"messages\": " + messages + "}}");
        assertEquals(param, e.error().param());
        assertEquals("m", e.customId());
    }

    private static BatchRequest completion(String prompt) throws InvalidRequestException {
        return RequestParser.parse("{\"custom_id\": \"c\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": {\"prompt\": "
                + prompt + ", \"max_tokens\": 4, \"echo\": false}}");
    }

    @Test
    void aCompletionTakesOnePromptAsTextOrTokenIds() throws Exception {
        assertEquals("Once", ((RequestBody.Completion) completion("\"Once\"").body()).prompt());
        assertEquals("Once", ((RequestBody.Completion) completion("[\"Once\"]").body()).prompt());
        assertArrayEquals(new int[] {1, 2, 3}, ((RequestBody.Completion) completion("[1, 2, 3]").body()).promptTokenIds());
        assertArrayEquals(new int[] {4}, ((RequestBody.Completion) completion("[[4]]").body()).promptTokenIds());
        assertEquals(Parameters.UNSUPPORTED_VALUE, assertThrows(InvalidRequestException.class,
                () -> completion("[\"a\", \"b\"]")).error().code());
        assertEquals("prompt[1]", assertThrows(InvalidRequestException.class, () -> completion("[1, -2]")).error().param());
        assertEquals("prompt", assertThrows(InvalidRequestException.class, () -> completion("\"\"")).error().param());
        assertEquals(Parameters.UNSUPPORTED_PARAMETER, assertThrows(InvalidRequestException.class, () -> RequestParser.parse(
                "{\"custom_id\": \"c\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": {\"prompt\": \"x\", "
                        + "\"logprobs\": 0}}")).error().code());
        assertEquals("max_completion_tokens", assertThrows(InvalidRequestException.class, () -> RequestParser.parse(
                "{\"custom_id\": \"c\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": {\"prompt\": \"x\", "
                        + "\"max_completion_tokens\": 3}}")).error().param());
    }

    private static RequestBody.Embeddings embeddings(String rest) throws InvalidRequestException {
        return (RequestBody.Embeddings) RequestParser.parse("{\"custom_id\": \"e\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", "
                + "\"body\": {\"model\": \"text-embedding-3-small\", " + rest + "}}").body();
    }

    @Test
    void embeddingsTakeTextsOrTokenIdsAndAnEncodingFormat() throws Exception {
        assertEquals(List.of(EmbeddingInput.ofText("hi")), embeddings("\"input\": \"hi\"").inputs());
        assertEquals(List.of(EmbeddingInput.ofText("a"), EmbeddingInput.ofText("b")), embeddings("\"input\": [\"a\", \"b\"]").inputs());
        assertEquals(List.of(EmbeddingInput.ofTokens(new int[] {5, 6})), embeddings("\"input\": [5, 6]").inputs());
        assertEquals(List.of(EmbeddingInput.ofTokens(new int[] {5}), EmbeddingInput.ofTokens(new int[] {6, 7})),
                embeddings("\"input\": [[5], [6, 7]]").inputs());
        assertEquals(EncodingFormat.FLOAT, embeddings("\"input\": \"x\"").format());
        assertEquals(EncodingFormat.BASE64, embeddings("\"input\": \"x\", \"encoding_format\": \"base64\"").format());
        assertEquals("encoding_format", assertThrows(InvalidRequestException.class,
                () -> embeddings("\"input\": \"x\", \"encoding_format\": \"int8\"")).error().param());
        assertEquals("input[1]", assertThrows(InvalidRequestException.class,
                () -> embeddings("\"input\": [\"a\", [1]]")).error().param());
        assertEquals("input[0]", assertThrows(InvalidRequestException.class, () -> embeddings("\"input\": [\"\"]")).error().param());
        assertEquals("input", assertThrows(InvalidRequestException.class, () -> embeddings("\"input\": []")).error().param());
    }

    @Test
    void dimensionsAreAcceptedOnlyWhenTheyAreTheModels() throws Exception {
        RequestBody.Embeddings e = embeddings("\"input\": \"x\", \"dimensions\": 256");
        e.checkDimensions(256, "e");
        InvalidRequestException x = assertThrows(InvalidRequestException.class, () -> e.checkDimensions(384, "e"));
        assertEquals("dimensions", x.error().param());
        assertTrue(x.getMessage().contains("384"), x.getMessage());
        embeddings("\"input\": \"x\"").checkDimensions(384, "e");
    }

    @Test
    void everyParameterTheTableKnowsIsReadByItsEndpointAndNoOther() throws Exception {
        for (Parameters.Rule rule : Parameters.rules()) {
            for (Endpoint e : Endpoint.values()) {
                Parameters.Rule r = Parameters.rule(e, rule.name());
                if (rule.endpoints().contains(e)) {
                    assertEquals(rule.disposition(), r.disposition(), rule.name() + " on " + e);
                }
            }
        }
        InvalidRequestException x = assertThrows(InvalidRequestException.class, () -> embeddings("\"input\": \"x\", \"n\": 2"));
        assertEquals(Parameters.UNKNOWN_PARAMETER, x.error().code());
    }
}
