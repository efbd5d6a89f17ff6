package dev.batchwise.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.batchwise.generate.DecoderModel;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Decoders;
import dev.batchwise.testing.Models;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenAI batch files through {@code batchwise run}, end to end: detected, answered line by line in
 * input order, bad lines failing alone with OpenAI's error objects, every line checked against
 * OpenAI's published schema.
 */
class BatchRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static JsonNode components;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchemas() throws Exception {
        try (InputStream in = BatchRunTest.class.getResourceAsStream("/openai/openai-schemas.json")) {
            components = JSON.readTree(in).get("components");
        }
    }

    private static void assertValid(String schemaName, JsonNode value) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$ref", "#/components/schemas/" + schemaName);
        root.set("components", components);
        Schema schema = REGISTRY.getSchema(root);
        assertEquals(List.of(), schema.validate(value).stream().map(Error::toString).toList(),
                () -> schemaName + ": " + value.toPrettyString());
    }

    /** A request line of a batch file. */
    static String line(String customId, String url, String body) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"" + url + "\", \"body\": " + body
                + "}\n";
    }

    /** The JSON lines of {@code text}. */
    static List<JsonNode> lines(String text) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isEmpty()) {
                out.add(JSON.readTree(l));
            }
        }
        return out;
    }

    /** Every line fits OpenAI's batch output line, and its body the endpoint's response or error. */
    private static void assertLinesValid(List<JsonNode> lines) {
        for (JsonNode l : lines) {
            assertValid("BatchRequestOutput", l);
            JsonNode body = l.at("/response/body");
            if (l.at("/response/status_code").asInt() != 200) {
                assertValid("ErrorResponse", body);
            } else if ("chat.completion".equals(body.path("object").asText())) {
                assertValid("CreateChatCompletionResponse", body);
            } else if ("text_completion".equals(body.path("object").asText())) {
                assertValid("CreateCompletionResponse", body);
            } else {
                // OpenAI's schema types an embedding as numbers though its service writes base64 text when
                // asked (as batchwise does): validated decoded, as OpenAiSchemaTest does
                ObjectNode decoded = body.deepCopy();
                for (JsonNode e : decoded.get("data")) {
                    if (e.get("embedding").isTextual()) {
                        com.fasterxml.jackson.databind.node.ArrayNode v = JSON.createArrayNode();
                        for (float x : Vectors.fromBase64(e.get("embedding").asText())) {
                            v.add(x);
                        }
                        ((ObjectNode) e).set("embedding", v);
                    }
                }
                assertValid("CreateEmbeddingResponse", decoded);
            }
        }
    }

    @Test
    void embeddingLinesRunOnTheBundledModelAndBadLinesFailAloneInOrder() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("e1", "/v1/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": [\"a cat\", \"a dog\"], "
                        + "\"user\": \"u1\"}")
                + line("c1", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                + "{\"custom_id\": \"broken\", \"method\": \"POST\", \"url\n"
                + line("img", "/v1/images/generations", "{\"prompt\": \"a cat\"}")
                + line("e1", "/v1/embeddings", "{\"input\": \"again\"}")
                + line("e2", "/v1/embeddings", "{\"input\": \"Batches, offline.\", \"encoding_format\": \"base64\", "
                        + "\"user\": \"u2\"}")
                // minilm's tokens of "a cat", [CLS] and [SEP] included, given as ids
                + line("ids", "/v1/embeddings", "{\"input\": [[101, 1037, 4937, 102], [101, 99999999]]}")
                + line("dims", "/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 256}")
                + line("dims-ok", "/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 384}"));
        Path errors = dir.resolve("errors.jsonl");
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run("run", "--model", "minilm", "--cache-dir", Models.CACHE_DIR.toString(), "--errors",
                errors.toString(), "--stats-json", stats.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run.out());
        assertEquals(9, out.size(), run::toString);
        assertLinesValid(out);
        // a token id outside minilm's vocabulary (it has no config.json to say its size) fails in the model, alone
        assertEquals(List.of(200, 400, 400, 404, 400, 200, 500, 400, 200), out.stream()
                .map(l -> l.at("/response/status_code").asInt()).toList());
        assertEquals("e1", out.get(0).get("custom_id").asText());
        JsonNode embeddings = out.get(0).at("/response/body");
        assertEquals("text-embedding-3-small", embeddings.get("model").asText());
        assertEquals(384, embeddings.at("/data/1/embedding").size());
        // minilm's tokens of both inputs, [CLS] and [SEP] included: 4 each
        assertEquals(8, embeddings.at("/usage/prompt_tokens").asInt());
        assertEquals("unsupported_endpoint", out.get(1).at("/response/body/error/code").asText(), out.get(1)::toString);
        assertEquals("c1", out.get(1).get("custom_id").asText());
        assertTrue(out.get(2).at("/response/body/error/message").asText().contains("JSON"), out.get(2)::toString);
        assertEquals("duplicate_custom_id", out.get(4).at("/response/body/error/code").asText());
        assertEquals("minilm", out.get(5).at("/response/body/model").asText());
        assertEquals(384, Vectors.fromBase64(out.get(5).at("/response/body/data/0/embedding").asText()).length);
        // ids: distinct per line, the same shape as OpenAI's
        assertNotEquals(out.get(0).get("id"), out.get(5).get("id"));
        assertTrue(out.get(0).get("id").asText().matches("batch_req_[0-9a-f]{32}"));
        assertEquals("server_error", out.get(6).at("/response/body/error/type").asText(), out.get(6)::toString);
        assertEquals("ids", out.get(6).get("custom_id").asText());
        assertEquals("dimensions", out.get(7).at("/response/body/error/param").asText(), out.get(7)::toString);
        // the errors file holds the failed lines, as OpenAI's error file does
        List<JsonNode> failed = lines(Files.readString(errors));
        assertEquals(List.of(out.get(1), out.get(2), out.get(3), out.get(4), out.get(6), out.get(7)), failed);
        // one warning per ignored parameter name
        assertEquals(1, run.err().split("'user'", -1).length - 1, run::toString);
        JsonNode report = JSON.readTree(stats.toFile());
        assertEquals("openai-batch", report.at("/settings/input_format").asText());
        assertTrue(report.at("/settings/input_format_detected").asBoolean());
    }

    @Test
    void tokenIdsEmbedAsTheirTextDoes() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("text", "/v1/embeddings", "{\"input\": \"a cat\"}")
                + line("ids", "/v1/embeddings", "{\"input\": [101, 1037, 4937, 102]}"));
        Cli.Run run = Cli.run("run", "--model", "minilm", "--cache-dir", Models.CACHE_DIR.toString(), "-q",
                in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run.out());
        assertLinesValid(out);
        assertEquals(out.get(0).at("/response/body/data"), out.get(1).at("/response/body/data"));
        assertEquals(4, out.get(1).at("/response/body/usage/prompt_tokens").asInt());
    }

    @Test
    void aResumedRunWritesTheSameLinesAsARunFromTheStart() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 6; i++) {
            // line 3 stops the first run; line 5 repeats line 2's custom_id, which the resumed run skips
            text.append(i == 3 ? line("x" + i, "/v1/nothing", "{}")
                    : line(i == 5 ? "x2" : "x" + i, "/v1/embeddings", "{\"input\": \"line " + i + "\"}"));
        }
        Path in = Files.writeString(dir.resolve("in.jsonl"), text.toString());
        Path whole = dir.resolve("whole.jsonl");
        Path out = dir.resolve("out.jsonl");
        Path errors = dir.resolve("errors.jsonl");
        String[] model = {"--model", "minilm", "--cache-dir", Models.CACHE_DIR.toString(), "-b", "1", "-w", "1", "-q",
            "--errors", errors.toString()};
        Cli.Run clean = Cli.run(concat(model, "-o", whole.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, clean.exitCode(), clean::toString);
        String cleanErrors = Files.readString(errors);
        assertEquals(2, lines(cleanErrors).size(), cleanErrors);
        Files.delete(errors);
        Cli.Run stopped = Cli.run(concat(model, "--on-error", "stop", "-o", out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        assertTrue(Files.exists(dir.resolve("out.jsonl.partial")), stopped::toString);
        Cli.Run resumed = Cli.run(concat(model, "--resume", "-o", out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        assertEquals(Files.readString(whole), Files.readString(out));
        assertTrue(Files.readString(out).contains("duplicate_custom_id"));
        // the failed line the stopped run wrote is kept in the errors file, and the resumed run's added
        assertEquals(cleanErrors, Files.readString(errors));
    }

    @Test
    void chatAndCompletionLinesRunOnATinyDecoderAndEqualTheGreedyReferences() throws Exception {
        Path model = Decoders.dir(Decoders.QWEN3);
        Decoders.Case ref = Decoders.references(Decoders.QWEN3).get(0);
        String chat = "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", "
                + "\"content\": [{\"type\": \"text\", \"text\": \"Hello\"}]}], \"max_tokens\": 5, \"temperature\": 0}";
        String multiTurn = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is 2+2?\"}, {\"role\": "
                + "\"assistant\", \"content\": \"4\"}, {\"role\": \"user\", \"content\": \"And 3+3?\"}], "
                + "\"max_completion_tokens\": 12, \"temperature\": 0}";
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("chat", "/v1/chat/completions", chat)
                + line("multi-turn", "/v1/chat/completions", multiTurn)
                + line("completion", "/v1/completions", "{\"model\": \"tiny\", \"prompt\": " + JSON.writeValueAsString(
                        ref.prompt()) + ", \"max_tokens\": " + ref.maxTokens() + ", \"temperature\": 0}")
                + line("embed", "/v1/embeddings", "{\"input\": \"no\"}")
                + line("tools", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
                        + "\"tools\": []}")
                + line("sampled", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
                        + "\"n\": 3, \"max_tokens\": 4, \"seed\": 7}"));
        Cli.Run run = Cli.run("run", "--model", model.toString(), "--cache-dir", Models.CACHE_DIR.toString(), "-q",
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run.out());
        assertEquals(6, out.size(), run::toString);
        assertLinesValid(out);
        assertEquals(List.of(200, 200, 200, 400, 400, 200), out.stream()
                .map(l -> l.at("/response/status_code").asInt()).toList(), run::toString);
        JsonNode chats;
        try (InputStream refs = BatchRunTest.class.getResourceAsStream("/openai/chat-greedy-references.json")) {
            chats = JSON.readTree(refs);
        }
        List<List<ChatMessage>> conversations = List.of(
                List.of(ChatMessage.of("system", "Be brief."), ChatMessage.ofParts("user", List.of("Hello"))),
                List.of(ChatMessage.of("user", "What is 2+2?"), ChatMessage.of("assistant", "4"),
                        ChatMessage.of("user", "And 3+3?")));
        ChatTemplate template = ChatTemplate.load(model, java.time.Clock.systemUTC());

        try (DecoderModel decoder = Decoders.open(Decoders.QWEN3)) {
            // the chats: PyTorch's greedy tokens from the rendered template's tokens
            // (scripts/chat-greedy-references.py), as text
            for (int i = 0; i < 2; i++) {
                JsonNode ref2 = chats.get(i);
                int[] promptIds = decoder.encodeAsIs(template.render(conversations.get(i), true));
                assertEquals(ref2.get("prompt_ids").toString(), Arrays.toString(promptIds).replace(" ", ""),
                        "the chat's prompt changed: run scripts/chat-greedy-references.py with these ids");
                JsonNode body = out.get(i).at("/response/body");
                long[] greedy = new long[ref2.get("tokens").size()];
                for (int k = 0; k < greedy.length; k++) {
                    greedy[k] = ref2.get("tokens").get(k).asLong();
                }
                assertEquals(ref2.get("custom_id").asText(), out.get(i).get("custom_id").asText());
                assertEquals(decoder.decode(greedy), body.at("/choices/0/message/content").asText());
                assertEquals(ref2.get("finish_reason").asText(), body.at("/choices/0/finish_reason").asText());
                assertEquals(promptIds.length, body.at("/usage/prompt_tokens").asInt());
                assertEquals(greedy.length, body.at("/usage/completion_tokens").asInt());
            }
            // the completion: PyTorch's greedy tokens, as text
            JsonNode completion = out.get(2).at("/response/body");
            long[] tokens = Arrays.stream(ref.tokens()).asLongStream().toArray();
            assertEquals(decoder.decode(tokens), completion.at("/choices/0/text").asText());
            assertEquals(ref.finishReason(), completion.at("/choices/0/finish_reason").asText());
            assertEquals(ref.promptIds().length, completion.at("/usage/prompt_tokens").asInt());
            assertEquals(ref.tokens().length, completion.at("/usage/completion_tokens").asInt());
            assertEquals("tiny", completion.get("model").asText());

        }
        assertEquals("unsupported_endpoint", out.get(3).at("/response/body/error/code").asText());
        assertEquals("tools", out.get(4).at("/response/body/error/param").asText());
        JsonNode sampled = out.get(5).at("/response/body");
        assertEquals(3, sampled.get("choices").size());
        java.util.Set<String> texts = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertEquals(i, sampled.at("/choices/" + i + "/index").asInt());
            texts.add(sampled.at("/choices/" + i + "/message/content").asText());
        }
        assertTrue(texts.size() > 1, () -> "each choice draws with its own generator: " + sampled);
        int tokens = sampled.at("/usage/completion_tokens").asInt();
        assertTrue(tokens >= 3 && tokens <= 12, sampled::toString);
    }

    @Test
    void withoutAChatTemplateEveryChatLineFailsAndCompletionsRun() throws Exception {
        Path model = Decoders.dir(Decoders.GPT2);
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("c1", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}")
                + line("p1", "/v1/completions", "{\"prompt\": \"Hello\", \"max_tokens\": 3}")
                + line("c2", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Yo\"}]}"));
        Cli.Run run = Cli.run("run", "--model", model.toString(), "--cache-dir", Models.CACHE_DIR.toString(), "-q",
                "--format", "openai-batch", in.toString());
        List<JsonNode> out = lines(run.out());
        assertEquals(3, out.size(), run::toString);
        assertLinesValid(out);
        assertEquals(List.of(400, 200, 400), out.stream().map(l -> l.at("/response/status_code").asInt()).toList());
        assertTrue(out.get(0).at("/response/body/error/message").asText().contains("no chat template"), out::toString);
        assertEquals(3, out.get(1).at("/response/body/usage/completion_tokens").asInt());
    }

    @Test
    void formatJsonlReadsABatchFileAsOrdinaryRecordsAndAFunctionIsRefusedOtherwise() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"), line("e1", "/v1/embeddings", "{\"input\": \"a\"}"));
        Cli.Run records = Cli.run("run", "--fn", "echo", "--input", "text=custom_id", "--format", "jsonl", "-q",
                in.toString());
        assertEquals(0, records.exitCode(), records::toString);
        assertEquals(List.of("{\"id\":1,\"text\":\"e1\"}"), records.lines());
        Cli.Run refused = Cli.run("run", "--fn", "echo", "--input", "text=custom_id", "-q", in.toString());
        assertEquals(ExitCodes.USAGE, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--format jsonl"), refused::toString);
    }

    @Test
    void settingsThatShapeOrdinaryOutputLinesAreRefusedForABatchFile() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"), line("e1", "/v1/embeddings", "{\"input\": \"a\"}"));
        for (List<String> args : List.of(List.of("--id", "custom_id"), List.of("--keep", "custom_id"),
                List.of("--with-timing"), List.of("--output-format", "csv"))) {
            List<String> all = new ArrayList<>(List.of("run", "--model", "minilm", "--cache-dir",
                    Models.CACHE_DIR.toString(), in.toString()));
            all.addAll(args);
            Cli.Run run = Cli.run(all.toArray(new String[0]));
            assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
            assertTrue(run.err().contains(args.get(0) + " ") && run.err().contains("OpenAI"), run::toString);
            assertEquals("", run.out());
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of("run"));
        out.addAll(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(new String[0]);
    }
}
