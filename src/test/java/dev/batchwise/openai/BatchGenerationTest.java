package dev.batchwise.openai;

import static dev.batchwise.openai.BatchRunTest.line;
import static dev.batchwise.openai.BatchRunTest.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.generate.DecoderModel;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Decoders;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.StatsSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat and completion lines of a batch file run as {@code --task generate} records do: by steps, with
 * time to first token and time per output token in the stats, and with the run's generation options as
 * the defaults of what a line leaves out (OpenAI's defaults when none is given).
 */
class BatchGenerationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String completion(String prompt, String more) throws Exception {
        return "{\"prompt\": " + JSON.writeValueAsString(prompt) + more + "}";
    }

    private static String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--model", Decoders.dir(Decoders.QWEN3).toString(),
                "--cache-dir", Models.CACHE_DIR.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** PyTorch's greedy text of the first {@code n} tokens of a reference that generated at least that many. */
    private static String greedy(DecoderModel decoder, Decoders.Case ref, int n) {
        assertTrue(ref.tokens().length >= n && (n < ref.tokens().length || ref.finishReason().equals("length")));
        return decoder.decode(Arrays.stream(ref.tokens()).limit(n).asLongStream().toArray());
    }

    /** The reference whose prompt is {@code prompt}. */
    private static Decoders.Case reference(String prompt) throws Exception {
        return Decoders.references(Decoders.QWEN3).stream().filter(c -> c.prompt().equals(prompt)).findFirst()
                .orElseThrow();
    }

    @Test
    void linesTakeTheRunsGenerationOptionsAndTheStatsHaveTimeToFirstTokenAndPerOutputToken() throws Exception {
        Decoders.Case once = reference("Once upon a time");
        Decoders.Case weather = reference("The weather today is");
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("default", "/v1/completions", completion(once.prompt(), ""))
                + line("own", "/v1/completions", completion(weather.prompt(), ", \"max_tokens\": 7"))
                + line("chat", "/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
                        + "\"n\": 2}"));
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run(args("--max-tokens", "5", "--temperature", "0", "--stats-json", stats.toString(),
                in.toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertTrue(!run.err().contains("warning"), run::toString);
        List<JsonNode> out = lines(run.out());
        assertEquals(List.of("default", "own", "chat"), out.stream().map(l -> l.get("custom_id").asText()).toList());
        try (DecoderModel decoder = Decoders.open(Decoders.QWEN3)) {
            // no max_tokens, no temperature: the run's 5 tokens, greedy
            JsonNode first = out.get(0).at("/response/body");
            assertEquals(greedy(decoder, once, 5), first.at("/choices/0/text").asText(), first::toString);
            assertEquals(5, first.at("/usage/completion_tokens").asInt(), first::toString);
            assertEquals("length", first.at("/choices/0/finish_reason").asText());
            // the line's own max_tokens over the run's
            JsonNode own = out.get(1).at("/response/body");
            assertEquals(greedy(decoder, weather, 7), own.at("/choices/0/text").asText(), own::toString);
            assertEquals(7, own.at("/usage/completion_tokens").asInt(), own::toString);
        }
        // greedy by the run's temperature: both choices the same, each at most the run's 5 tokens
        JsonNode chat = out.get(2).at("/response/body");
        assertEquals(2, chat.get("choices").size(), chat::toString);
        assertEquals(chat.at("/choices/0/message/content"), chat.at("/choices/1/message/content"), chat::toString);
        int chatTokens = chat.at("/usage/completion_tokens").asInt();
        assertTrue(chatTokens >= 2 && chatTokens <= 10, chat::toString);

        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(List.of(), StatsSchema.errors(s));
        JsonNode g = s.get("generation");
        assertTrue(g != null, s::toString);
        assertEquals(3, g.get("ttft_ms").get("count").asInt(), s::toString);
        assertEquals(3, g.get("tpot_ms").get("count").asInt(), s::toString);
        assertEquals(5 + 7 + chatTokens, g.get("output_tokens").asInt(), s::toString);
        JsonNode settings = s.get("settings");
        assertEquals("continuous", settings.get("batching").asText(), s::toString);
        assertEquals(5, settings.get("max_tokens").asInt(), s::toString);
        assertEquals(0.0, settings.get("temperature").asDouble(), s::toString);

        // static batching answers the same lines with the same bytes, but for when each was made
        Path stats2 = dir.resolve("stats2.json");
        Cli.Run statically = Cli.run(args("--max-tokens", "5", "--temperature", "0", "--batching", "static",
                "--stats-json", stats2.toString(), in.toString()));
        assertEquals(ExitCodes.OK, statically.exitCode(), statically::toString);
        assertEquals(withoutCreated(out), withoutCreated(lines(statically.out())));
        assertEquals("static", JSON.readTree(stats2.toFile()).get("settings").get("batching").asText());
    }

    private static List<JsonNode> withoutCreated(List<JsonNode> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : lines) {
            JsonNode copy = l.deepCopy();
            ((ObjectNode) copy.at("/response/body")).remove("created");
            out.add(copy);
        }
        return out;
    }

    @Test
    void withoutOptionsALineGetsOpenAisDefaultOf16Tokens() throws Exception {
        Decoders.Case once = reference("Once upon a time");
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("default", "/v1/completions", completion(once.prompt(), ", \"temperature\": 0")));
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run(args("-q", "--stats-json", stats.toString(), in.toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        JsonNode body = lines(run.out()).get(0).at("/response/body");
        try (DecoderModel decoder = Decoders.open(Decoders.QWEN3)) {
            assertEquals(greedy(decoder, once, 16), body.at("/choices/0/text").asText(), body::toString);
        }
        JsonNode settings = JSON.readTree(stats.toFile()).get("settings");
        assertEquals(16, settings.get("max_tokens").asInt(), settings::toString);
        assertEquals(1.0, settings.get("temperature").asDouble(), settings::toString);
    }

    @Test
    void limitAndArrivalsApplyToBatchLinesAsToAnyRecords() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            text.append(line("l" + i, "/v1/completions", completion("line " + i, ", \"max_tokens\": 3")));
        }
        Path in = Files.writeString(dir.resolve("batch.jsonl"), text.toString());
        Path stats = dir.resolve("stats.json");
        Cli.Run run = Cli.run(args("-q", "--limit", "3", "--rate", "200", "--ignore-eos", "--stats-json",
                stats.toString(), in.toString()));
        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertEquals(List.of("l1", "l2", "l3"), lines(run.out()).stream().map(l -> l.get("custom_id").asText())
                .toList(), run::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals("constant", s.get("settings").get("arrival").asText(), s::toString);
        assertEquals(3, s.get("generation").get("ttft_ms").get("count").asInt(), s::toString);
        assertEquals(9, s.get("generation").get("output_tokens").asInt(), s::toString);
    }

    @Test
    void promptTokenIdsOutsideTheVocabularyFailTheLineAsInvalid() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("bad", "/v1/completions", "{\"prompt\": [1, 99999999], \"max_tokens\": 2}")
                + line("good", "/v1/completions", "{\"prompt\": [1, 2], \"max_tokens\": 2}"));
        Cli.Run run = Cli.run(args("-q", in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run.out());
        assertEquals(400, out.get(0).at("/response/status_code").asInt(), out::toString);
        assertEquals("prompt", out.get(0).at("/response/body/error/param").asText(), out::toString);
        assertTrue(out.get(0).at("/response/body/error/message").asText().contains("99999999"), out::toString);
        assertEquals(200, out.get(1).at("/response/status_code").asInt(), out::toString);
    }

    @Test
    void aResumeMustGenerateAsTheFirstRunDid() throws Exception {
        Path in = Files.writeString(dir.resolve("batch.jsonl"),
                line("a", "/v1/completions", completion("Hello", ""))
                + line("b", "/v1/nothing", "{}")
                + line("c", "/v1/completions", completion("Q:", "")));
        Path out = dir.resolve("out.jsonl");
        Cli.Run stopped = Cli.run(args("-q", "-b", "1", "-w", "1", "--max-tokens", "3", "--on-error", "stop", "-o",
                out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        assertTrue(Files.exists(dir.resolve("out.jsonl.partial")), stopped::toString);
        Cli.Run other = Cli.run(args("-q", "--max-tokens", "4", "--resume", "-o", out.toString(), in.toString()));
        assertNotEquals(0, other.exitCode(), other::toString);
        assertTrue(other.err().contains("--max-tokens"), other::toString);
        Cli.Run resumed = Cli.run(args("-q", "--max-tokens", "3", "--resume", "-o", out.toString(), in.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        List<JsonNode> written = lines(Files.readString(out));
        assertEquals(List.of("a", "b", "c"), written.stream().map(l -> l.get("custom_id").asText()).toList());
        assertEquals(3, written.get(2).at("/response/body/usage/completion_tokens").asInt(), written::toString);
    }
}
