package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code bench --task generate} end to end on the tiny GPT-2 decoder: points measured in output
 * tokens with TTFT and TPOT, SLOs on them, and the chosen point as vLLM and TGI flags.
 */
class BenchGenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path prompts() throws Exception {
        return Files.writeString(dir.resolve("prompts.jsonl"), """
                {"prompt": "Once upon a time"}
                {"prompt": "The quick brown fox", "max_tokens": 4}
                {"prompt": "Hello, my name is"}
                """);
    }

    private static List<String> args(Path in, String... more) {
        List<String> a = new ArrayList<>(List.of("bench", "--model", Decoders.dir(Decoders.GPT2).toString(), "--task",
                "generate", "--cache-dir", Models.CACHE_DIR.toString(), "--warmup", "0", "--window", "150ms",
                "--max-windows", "3", "--rounds", "1", "--no-progress"));
        a.addAll(List.of(more));
        a.add(in.toString());
        return a;
    }

    @Test
    void sweepsMaxBatchSizeUnderTimeToFirstTokenAndPerOutputTokenSlos() throws Exception {
        Path in = prompts();
        Path json = dir.resolve("sweep.json");
        Cli.Run run = Cli.run(args(in, "-b", "1,4", "-c", "4", "--max-tokens", "6", "--ignore-eos", "--slo",
                "ttft_p99=30s,tpot_p99=10s", "--json", json.toString()).toArray(new String[0]));
        assertTrue(run.exitCode() == ExitCodes.OK || run.exitCode() == ExitCodes.UNCONFIRMED, run.toString());
        assertTrue(run.err().contains("tokens/s") && run.err().contains("ttft99"), run.err());
        assertFalse(run.err().contains("Triton"), "no encoder servers for generation: " + run.err());
        JsonNode line = JSON.readTree(run.out());
        assertTrue(line.path("output_tokens_per_second").asDouble() > 0, line.toString());
        assertTrue(line.path("ttft_p99_ms").asDouble() > 0, line.toString());
        assertTrue(line.path("tpot_p99_ms").asDouble() > 0, line.toString());
        String batch = line.path("chosen").asText().contains("b=4") ? "4" : "1";
        assertEquals(List.of("--max-num-seqs", batch), strings(line.path("vllm_flags")).subList(0, 2));
        List<String> tgi = strings(line.path("tgi_flags"));
        assertEquals(List.of("--max-concurrent-requests", "4"), tgi.subList(0, 2), "four clients in flight");
        long sequence = Long.parseLong(tgi.get(tgi.indexOf("--max-total-tokens") + 1));
        assertEquals(Integer.parseInt(batch) * sequence,
                Long.parseLong(tgi.get(tgi.indexOf("--max-batch-total-tokens") + 1)));
        assertTrue(line.path("run_command").asText().contains("--task generate --cache-dir"), line.toString());
        assertTrue(line.path("run_command").asText().contains("--max-tokens 6 --ignore-eos"), line.toString());
        assertFalse(line.path("run_command").asText().contains("--max-delay"),
                "records join between steps, never held for a batch: " + line);
        assertFalse(strings(line.path("run_flags")).contains("--max-delay"), line.toString());
        assertTrue(run.err().contains("vllm serve MODEL") && run.err().contains("text-generation-launcher"), run.err());

        JsonNode sweep = JSON.readTree(json.toFile());
        assertEquals("ttft_p99<=30s,tpot_p99<=10s", sweep.path("slo").asText());
        assertEquals(2, sweep.path("points").size(), "one max delay only: continuous batching has none");
        for (JsonNode p : sweep.path("points")) {
            JsonNode g = p.path("generation");
            assertTrue(g.path("output_tokens").asLong() > 0, p.toString());
            assertTrue(g.path("ttft_ms").path("p99").asDouble() > 0, p.toString());
            assertTrue(g.path("tpot_ms").has("p50") && g.path("tpot_ms").has("p99"), p.toString());
            assertTrue(g.path("mean_running_sequences").asDouble() >= 1, p.toString());
            // --ignore-eos: every record ran to its max tokens, 6 or its own 4
            long tokens = 0;
            long records = 0;
            for (JsonNode w : p.path("window_series")) {
                tokens += w.path("output_tokens").asLong();
                records += w.path("records").asLong();
            }
            assertEquals(g.path("output_tokens").asLong(), tokens, p.toString());
            assertTrue(tokens >= 4 * records && tokens <= 6 * records, p.toString());
        }
    }

    @Test
    void refusesWhatGenerationBenchCannotMean() throws Exception {
        Path in = prompts();
        Cli.Run ttftOnEncoder = Cli.run("bench", "--fn", "echo", "-c", "2", "--slo", "ttft_p99=1s", in.toString());
        assertEquals(ExitCodes.USAGE, ttftOnEncoder.exitCode(), ttftOnEncoder.toString());
        assertTrue(ttftOnEncoder.err().contains("measured for --task generate with continuous batching only"),
                ttftOnEncoder.err());
        Cli.Run ttftOnStatic = Cli.run(args(in, "-c", "2", "--batching", "static", "--slo", "tpot_p99=1s")
                .toArray(new String[0]));
        assertEquals(ExitCodes.USAGE, ttftOnStatic.exitCode(), ttftOnStatic.toString());
        Cli.Run tokenIds = Cli.run(args(in, "-c", "2", "--token-ids").toArray(new String[0]));
        assertEquals(ExitCodes.USAGE, tokenIds.exitCode(), tokenIds.toString());
        assertTrue(tokenIds.err().contains("--token-ids"), tokenIds.err());
        Cli.Run delay = Cli.run(args(in, "-c", "2", "--max-delay", "5ms").toArray(new String[0]));
        assertEquals(ExitCodes.USAGE, delay.exitCode(), delay.toString());
        assertTrue(delay.err().contains("continuous batching admits records between decoding steps"), delay.err());
        Cli.Run unused = Cli.run("bench", "--fn", "echo", "--temperature", "0", "-b", "1", "--warmup", "0", "--window",
                "50ms", "--max-windows", "3", "--rounds", "1", in.toString());
        assertTrue(unused.err().contains("--temperature is ignored: it applies to --task generate"), unused.err());
        for (Cli.Run r : List.of(ttftOnEncoder, ttftOnStatic, tokenIds, delay)) {
            assertFalse(r.err().contains("\tat "), r.toString());
        }
    }

    /**
     * A generation point's stop waits for its running records: a worker given up on mid-step would be
     * lost to the pool with sequences left in its running set, and the next point would run on none
     * (seen with a 135M decoder at 400 tokens). The point's own bound still ends one that takes too long.
     */
    @Test
    void aGenerationPointsStopLetsItsRunningRecordsFinish() {
        dev.batchwise.bench.Setting point = new dev.batchwise.bench.Setting(1, 4, 0, new dev.batchwise.bench.Load
                .Clients(4));
        dev.batchwise.bench.PointSpecs generate = new dev.batchwise.bench.PointSpecs(() -> {
            dev.batchwise.run.RunSpec.Builder b = dev.batchwise.run.RunSpec.builder();
            b.function.model = Decoders.dir(Decoders.GPT2).toString();
            b.model.task = dev.batchwise.model.Task.GENERATE;
            return b;
        }, dev.batchwise.source.InputFormat.JSONL);
        assertTrue(generate.point(point).failures().grace().toMinutes() >= 60);
        dev.batchwise.bench.PointSpecs echo = new dev.batchwise.bench.PointSpecs(() -> {
            dev.batchwise.run.RunSpec.Builder b = dev.batchwise.run.RunSpec.builder();
            b.function.name = "echo";
            return b;
        }, dev.batchwise.source.InputFormat.TEXT);
        assertEquals(dev.batchwise.run.RunSpec.builder().failures.grace, echo.point(point).failures().grace(),
                "a batch function's point keeps run's grace");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
