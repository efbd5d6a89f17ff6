package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.generate.DecoderModel;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Decoders;
import dev.batchwise.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code run --task generate} end to end: greedy text equal to PyTorch's (scripts/make-test-decoders.py
 * ran the tiny decoders eagerly, one prompt at a time), whatever the batching; seeded sampling that
 * depends on the record, not its batch-mates; a bad record failing alone; a wrong model or task refused.
 */
class GenerateCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static String[] args(Path model, Path input, String... more) {
        List<String> a = new ArrayList<>(List.of("run", "--model", model.toString(), "--task", "generate",
                "--cache-dir", Models.CACHE_DIR.toString(), "-q"));
        a.addAll(List.of(more));
        a.add(input.toString());
        return a.toArray(new String[0]);
    }

    private static List<JsonNode> lines(Cli.Run run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.lines()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"tiny-gpt2, continuous, 16", "tiny-gpt2, static, 8", "tiny-qwen3, continuous, 5",
            "tiny-qwen3, static, 1"})
    void greedyTextIsPyTorchs(String name, String batching, int maxBatch) throws Exception {
        Path model = Decoders.dir(name);
        List<Decoders.Case> cases = Decoders.references(name).subList(0, 12);
        StringBuilder in = new StringBuilder();
        for (Decoders.Case c : cases) {
            ObjectNode o = JSON.createObjectNode().put("prompt", c.prompt()).put("max_tokens", c.maxTokens());
            in.append(o).append('\n');
        }
        Path input = Files.writeString(dir.resolve("prompts.jsonl"), in);
        Cli.Run run = Cli.run(args(model, input, "--temperature", "0", "--batching", batching, "-b",
                String.valueOf(maxBatch)));
        assertEquals(0, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run);
        assertEquals(cases.size(), out.size(), run::toString);
        try (DecoderModel m = Decoders.open(name)) {
            for (int i = 0; i < cases.size(); i++) {
                Decoders.Case c = cases.get(i);
                long[] ids = new long[c.tokens().length];
                for (int t = 0; t < ids.length; t++) {
                    ids[t] = c.tokens()[t];
                }
                JsonNode line = out.get(i);
                assertEquals(i + 1, line.get("id").asInt());
                assertEquals(m.decode(ids), line.get("text").asText(), () -> "text for '" + c.prompt() + "'");
                assertEquals(c.finishReason(), line.get("finish_reason").asText(), c::prompt);
                assertEquals(c.promptIds().length, line.get("prompt_tokens").asInt(), c::prompt);
                assertEquals(c.tokens().length, line.get("completion_tokens").asInt(), c::prompt);
            }
        }
    }

    @Test
    void textLinesArePromptsAndSampledTextDependsOnTheRecordNotItsBatchMates() throws Exception {
        Path model = Decoders.dir(Decoders.GPT2);
        StringBuilder prompts = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            prompts.append("Prompt number ").append(i).append(i % 3 == 0 ? " with a longer tail of words" : "")
                    .append('\n');
        }
        Path input = Files.writeString(dir.resolve("prompts.txt"), prompts);
        Cli.Run alone = Cli.run(args(model, input, "--max-tokens", "12", "--seed", "7", "-b", "1"));
        Cli.Run batched = Cli.run(args(model, input, "--max-tokens", "12", "--seed", "7", "-b", "8"));
        Cli.Run staticBatches = Cli.run(args(model, input, "--max-tokens", "12", "--seed", "7", "-b", "4",
                "--batching", "static", "--ignore-eos"));
        Cli.Run otherSeed = Cli.run(args(model, input, "--max-tokens", "12", "--seed", "8", "-b", "8"));
        assertEquals(0, alone.exitCode(), alone::toString);
        assertEquals(10, alone.lines().size(), alone::toString);
        assertEquals(alone.out(), batched.out());
        assertNotEquals(alone.out(), otherSeed.out());
        assertEquals(0, staticBatches.exitCode(), staticBatches::toString);
        // --ignore-eos runs every record to max tokens
        for (JsonNode line : lines(staticBatches)) {
            assertEquals(12, line.get("completion_tokens").asInt(), line::toString);
            assertEquals("length", line.get("finish_reason").asText());
        }
    }

    @Test
    void aRecordWithABadFieldFailsAloneAndTheOthersRun() throws Exception {
        Path model = Decoders.dir(Decoders.GPT2);
        Path input = Files.writeString(dir.resolve("in.jsonl"), """
                {"prompt": "Hello", "max_tokens": 3}
                {"prompt": "Hello", "max_tokens": "many"}
                {"prompt": "Hello", "max_tokens": 2, "temperature": 0}
                """);
        Cli.Run run = Cli.run(args(model, input));
        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> out = lines(run);
        assertTrue(out.get(0).get("completion_tokens").asInt() <= 3 && out.get(0).has("text"), run::toString);
        assertTrue(out.get(1).get("error").toString().contains("field 'max_tokens' must be a whole number, not 'many'"),
                run::toString);
        assertEquals(2, out.get(2).get("completion_tokens").asInt(), run::toString);
    }

    @Test
    void generateOnATextModelAndAnotherTaskOnADecoderAreUsageErrors() throws Exception {
        Path input = Files.writeString(dir.resolve("p.txt"), "Hello\n");
        Cli.Run onDecoder = Cli.run("run", "--model", Decoders.dir(Decoders.GPT2).toString(), "--task", "embed",
                "--cache-dir", Models.CACHE_DIR.toString(), input.toString());
        assertEquals(ExitCodes.USAGE, onDecoder.exitCode(), onDecoder::toString);
        assertTrue(onDecoder.err().contains("is a decoder (it has generation_config.json): it generates text; use "
                + "--task generate"), onDecoder::toString);
        Cli.Run onMinilm = Cli.run("run", "--model", "minilm", "--task", "generate", "--cache-dir",
                Models.CACHE_DIR.toString(), input.toString());
        assertEquals(ExitCodes.USAGE, onMinilm.exitCode(), onMinilm::toString);
        assertTrue(onMinilm.err().contains("--task generate needs a decoder"), onMinilm::toString);
    }

    /**
     * A run stopped part-way (here at a bad record, its partial output then cut to two lines, as a kill
     * may leave it) and resumed with another batching writes what one uninterrupted run writes: each
     * record's seed comes from its position, not from when or beside what it ran.
     */
    @Test
    void aResumedRunSamplesTheSameTextAsOneRun() throws Exception {
        Path model = Decoders.dir(Decoders.GPT2);
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            in.append(i == 5 ? "{\"prompt\": \"x\", \"top_p\": 2}" : "{\"prompt\": \"Record " + i + "\"}").append('\n');
        }
        Path input = Files.writeString(dir.resolve("in.jsonl"), in);
        Path out = dir.resolve("out.jsonl");
        Path stats = dir.resolve("stats.json");
        Cli.Run first = Cli.run(args(model, input, "--max-tokens", "8", "--on-error", "stop", "-o", out.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        Path partial = dir.resolve("out.jsonl.partial");
        List<String> done = Files.readAllLines(partial);
        assertTrue(done.size() >= 2, first::toString);
        Files.write(partial, done.subList(0, 2));
        Cli.Run resumed = Cli.run(args(model, input, "--max-tokens", "8", "--batching", "static", "-b", "3",
                "--resume", "-o", out.toString(), "--stats-json", stats.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        Cli.Run oneRun = Cli.run(args(model, input, "--max-tokens", "8"));
        assertEquals(oneRun.out(), Files.readString(out));
        assertTrue(oneRun.lines().get(5).contains("field 'top_p' must be above 0 and at most 1, not 2.0"),
                oneRun::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(List.of(), dev.batchwise.testing.StatsSchema.errors(s));
        assertEquals("static", s.get("settings").get("batching").asText());
        assertEquals(8, s.get("settings").get("max_tokens").asInt());
    }

    /** A resume must generate as the first run did: a setting that changes the text refuses it. */
    @Test
    void aResumeWithAnotherTemperatureIsRefused() throws Exception {
        Path model = Decoders.dir(Decoders.GPT2);
        Path input = Files.writeString(dir.resolve("in.jsonl"), "{\"prompt\": \"a\"}\n{\"prompt\": \"b\", "
                + "\"max_tokens\": \"x\"}\n{\"prompt\": \"c\"}\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Run first = Cli.run(args(model, input, "--on-error", "stop", "-o", out.toString()));
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        Cli.Run resumed = Cli.run(args(model, input, "--temperature", "0.5", "--resume", "-o", out.toString()));
        assertNotEquals(0, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("--temperature"), resumed::toString);
    }

    /** The stats JSON and the table give time to first token, time per output token and the tokens made. */
    @Test
    void statsHaveTimeToFirstTokenAndPerOutputToken() throws Exception {
        Path model = Decoders.dir(Decoders.QWEN3);
        Path input = Files.writeString(dir.resolve("p.txt"), "One\nTwo words\nThree words here\nFour\nFive\n");
        Path stats = dir.resolve("stats.json");
        List<String> a = new ArrayList<>(List.of(args(model, input, "--max-tokens", "6", "--ignore-eos", "-b", "2",
                "--seed", "3", "--top-k", "20", "--stats-json", stats.toString())));
        a.remove("-q");
        Cli.Run run = Cli.run(a.toArray(new String[0]));
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode s = JSON.readTree(stats.toFile());
        assertEquals(List.of(), dev.batchwise.testing.StatsSchema.errors(s));
        JsonNode g = s.get("generation");
        assertEquals(5, g.get("ttft_ms").get("count").asInt(), s::toString);
        assertEquals(5, g.get("tpot_ms").get("count").asInt(), s::toString);
        assertEquals(30, g.get("output_tokens").asInt(), s::toString);
        assertEquals("continuous", s.get("settings").get("batching").asText());
        assertTrue(run.err().contains("first token") && run.err().contains("generated   30 tokens"), run::toString);
        assertTrue(!run.err().contains("warning"), run::toString);
    }
}
