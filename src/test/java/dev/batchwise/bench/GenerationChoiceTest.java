package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.FakeClock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bench for generation: SLOs on time to first token and per output token, the choice by output tokens
 * per second under them, the meter's generation measures, and the point as vLLM and TGI settings.
 */
class GenerationChoiceTest {

    private static final long MS = 1_000_000L;

    @TempDir
    java.nio.file.Path dir;

    /** A stable generation point: records/s and tokens/s apart, so a choice by the wrong one shows. */
    private static PointResult point(int batch, double recordsPerSecond, double tokensPerSecond, double ttftP99Ms,
            double tpotP99Ms) {
        Setting s = new Setting(1, batch, 0, new Load.Clients(batch));
        List<Window> windows = List.of(new Window(1_000_000_000L, (long) recordsPerSecond, 50_000,
                (long) tokensPerSecond), new Window(1_000_000_000L, (long) recordsPerSecond, 50_000,
                (long) tokensPerSecond), new Window(1_000_000_000L, (long) recordsPerSecond, 50_000,
                (long) tokensPerSecond));
        return new PointResult(s, recordsPerSecond, 20, 40, 45, 50, 60, 1, 2, 10, 12, batch * 0.9,
                Map.of(batch, 10L), -1, 0.9, true, 3, (long) recordsPerSecond * 3, 0, windows, false,
                new GenerationMeasures(tokensPerSecond, (long) tokensPerSecond * 3, ttftP99Ms / 2, ttftP99Ms * 0.9,
                        ttftP99Ms, tpotP99Ms / 2, tpotP99Ms, 40, 72));
    }

    // many short answers: the most records/s, the fewest tokens/s
    private final PointResult shortAnswers = point(1, 90, 400, 100, 20);
    private final PointResult b4 = point(4, 30, 1200, 300, 40);
    private final PointResult b8 = point(8, 25, 1800, 900, 60);
    private final PointResult b16 = point(16, 20, 2400, 2500, 90);
    private final List<PointResult> all = List.of(shortAnswers, b4, b8, b16);

    @Test
    void sloParsesTimeToFirstTokenAndPerOutputTokenBudgetsInOneList() {
        Slo slo = Slo.parse("ttft_p99=2s, TPOT_P50<=40ms,p95=3s");
        assertEquals(List.of(new Slo.Budget(Slo.Measure.TTFT, 99, 2000), new Slo.Budget(Slo.Measure.TPOT, 50, 40),
                new Slo.Budget(Slo.Measure.LATENCY, 95, 3000)), slo.budgets());
        assertTrue(slo.onGeneration());
        assertEquals("ttft_p99<=2s,tpot_p50<=40ms,p95<=3s", slo.label());
        assertEquals(3000, slo.latencyLimitMs(), 1e-9);
        assertFalse(Slo.parse("p99=200ms,p50=20ms").onGeneration());
        assertEquals(new Slo(List.of(new Slo.Budget(Slo.Measure.TTFT, 90, 500))), Slo.parse("ttft_p90=500"));
    }

    @Test
    void sloRefusesPercentilesTheRunDoesNotMeasure() {
        for (String bad : List.of("ttft_p95=1s", "tpot_p90=10ms", "tpot_p95=10ms", "ttft_p99=2s,", "ttft=1s",
                "itl_p99=1s", "ttft_p99=0", "ttft_p99=soon", "p99999999999=1s")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slo.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--slo: "), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Slo.parse("ttft_p95=1s")).getMessage()
                .contains("ttft_p50, ttft_p90, ttft_p99"));
    }

    @Test
    void everyBudgetMustHold() {
        Slo slo = Slo.parse("ttft_p99=1s,tpot_p99=50ms");
        assertTrue(slo.meets(b4));
        assertFalse(slo.meets(b8), "TPOT 60 ms is over 50 ms");
        assertFalse(slo.meets(b16), "TTFT 2.5 s is over 1 s");
        PointResult encoder = Points.point(4, 4, 300, 40);
        assertFalse(Slo.parse("ttft_p99=10s").meets(encoder), "a point that does not generate has no TTFT");
        assertTrue(Slo.parse("p99=100ms").meets(encoder));
        assertFalse(slo.meets(PointResult.timedOut(b4.setting(), 1)));
    }

    @Test
    void generationIsChosenByOutputTokensPerSecondUnderItsSlo() {
        assertEquals(b16, Choice.pick(all, null, Objective.THROUGHPUT).point(), "tokens/s, not records/s");
        assertEquals(b8, Choice.pick(all, Slo.parse("ttft_p99=2s"), Objective.THROUGHPUT).point());
        assertEquals(b4, Choice.pick(all, Slo.parse("ttft_p99=2s,tpot_p99=50ms"), Objective.THROUGHPUT).point());
        assertNull(Choice.pick(all, Slo.parse("ttft_p99=50ms"), Objective.THROUGHPUT));
        assertEquals(List.of(b16), Choice.paretoFront(all), "the same end-to-end p99: the most tokens/s dominates");
        assertEquals(2400, b16.throughputEstimate().mean(), 1e-9, "windows count output tokens");
    }

    @Test
    void theMeterCountsTimeToFirstTokenAndPerOutputTokenAsTheRunDoes() {
        FakeClock clock = new FakeClock();
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3), List.of(), true, true);
        meter.start();
        for (int window = 0; window < 3; window++) {
            for (int i = 0; i < 10; i++) {
                meter.call(4, 20 * MS, 0, 0); // one decoding step of 4 running sequences
                // first token 100 ms after arrival, then 9 more tokens in 180 ms: 20 ms each
                meter.record(5 * MS, 280 * MS, false, 100 * MS, 10, 30);
                clock.advance(100 * MS);
            }
        }
        meter.tick();
        assertTrue(meter.finished());
        PointResult r = meter.result(new Setting(1, 4, 0, new Load.Clients(4)));
        GenerationMeasures g = r.generation();
        assertEquals(100, g.outputTokensPerSecond(), 1e-9, "10 records of 10 tokens a second");
        assertEquals(10, r.throughputPerSecond(), 1e-9);
        assertEquals(100, r.objectiveRate(), 1e-9);
        assertEquals(100, g.ttftP99Ms(), 0.1);
        assertEquals(20, g.tpotP50Ms(), 0.05);
        assertEquals(4, r.meanBatchSize(), 1e-9, "mean running sequences per step");
        assertEquals(30, g.longestPromptTokens());
        assertEquals(40, g.longestSequenceTokens());
        assertEquals(List.of(100L, 100L, 100L), r.windowSeries().stream().map(Window::outputTokens).toList());
        PointResult pooled = PointResult.pool(List.of(r, r), true);
        assertEquals(100, pooled.generation().outputTokensPerSecond(), 1e-9);
        assertEquals(600, pooled.generation().outputTokens());
    }

    @Test
    void aRecordWithOneTokenHasATimeToFirstTokenButNoTimePerOutputToken() {
        FakeClock clock = new FakeClock();
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3), List.of(), true, true);
        meter.start();
        meter.record(0, 50 * MS, false, 50 * MS, 1, 3);
        meter.record(0, 70 * MS, true, -1, 0, 0); // failed: no tokens
        clock.advance(1000 * MS);
        meter.tick();
        PointResult r = meter.result(new Setting(1, 1, 0, new Load.Clients(1)));
        assertEquals(50, r.generation().ttftP50Ms(), 0.1);
        assertEquals(0, r.generation().tpotP99Ms(), 1e-9);
        assertEquals(1, r.generation().outputTokens());
        assertEquals(2, r.records());
    }

    @Test
    void staticBatchesCountTokensButHaveNoTokenTimes() {
        FakeClock clock = new FakeClock();
        PointMeter meter = new PointMeter(clock, new PointMeter.Plan(0, 1000 * MS, 3), List.of(), true, true);
        meter.start();
        for (int i = 0; i < 4; i++) {
            meter.record(0, 300 * MS, false, -1, 8, 5); // a static batch's records: no first-token time
        }
        clock.advance(1000 * MS);
        meter.tick();
        GenerationMeasures g = meter.result(new Setting(1, 4, 0, new Load.Clients(4))).generation();
        assertEquals(32, g.outputTokens());
        assertFalse(g.tokenTimes());
        assertTrue(Double.isNaN(g.ttftP99Ms()) && Double.isNaN(g.tpotP50Ms()), g.toString());
        PointResult p = new PointResult(b4.setting(), 4, 20, 40, 45, 50, 60, 1, 2, 10, 12, 4, Map.of(4, 1L), -1, 0.9,
                true, 3, 12, 0, List.of(), false, g);
        assertFalse(Slo.parse("ttft_p99=1h").meets(p), "no TTFT measured, so no TTFT budget met");
        assertTrue(GenerationServers.servers(p, 0).get(0).note().contains("static batches"));
    }

    @Test
    void theJsonFileKeepsGenerationsMeasuresForCompare() throws Exception {
        BenchRun run = new BenchRun(List.of("batchwise", "bench"), List.of("p.jsonl"), new Machine(2, "jvm", "os", "0",
                List.of()), "decoder", new PointMeter.Plan(0, 1_000_000_000L, 3), Slo.parse("ttft_p99=1s"),
                Objective.THROUGHPUT, 1024, new Sweep.Result(all, Map.of(1, 0L), List.of(), b4, List.of(b16)), 256);
        java.nio.file.Path file = dir.resolve("sweep.json");
        BenchJson.write(run, file);
        BenchJson.Read read = BenchJson.read(file);
        assertEquals(all.stream().map(PointResult::generation).toList(),
                read.points().stream().map(PointResult::generation).toList());
        assertEquals(2400, read.points().get(3).throughputEstimate().mean(), 1e-9, "windows read back in tokens");
        Compare.Result same = Compare.compare(read.points(), all, -1);
        assertEquals(1.0, same.rows().get(3).throughputRatio(), 1e-9);
        com.fasterxml.jackson.databind.JsonNode json = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .build().readTree(file.toFile());
        assertEquals(List.of("--max-num-seqs", "4", "--max-num-batched-tokens", "260"),
                strings(json.path("recommendation").path("vllm_flags")), "--max-batch-tokens 256, plus 4 decoding");
        assertEquals(false, json.path("points").get(3).path("meets_slo").asBoolean());
    }

    private static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void vllmGetsTheRunningSequencesAndAStepBudgetOfPrefillAndDecoding() {
        // longest prompt 40 tokens: no prefill budget admits 8 prompts of 40 in one step, and 8 decode
        assertEquals(List.of("--max-num-seqs", "8", "--max-num-batched-tokens", "328"),
                GenerationServers.vllmFlags(b8, 0));
        assertEquals(List.of("--max-num-seqs", "8", "--max-num-batched-tokens", "520"),
                GenerationServers.vllmFlags(b8, 512));
    }

    @Test
    void tgiGetsRequestsInFlightAndTheBatchsTokens() {
        assertEquals(List.of("--max-concurrent-requests", "8", "--max-input-tokens", "40", "--max-total-tokens", "72",
                "--max-batch-prefill-tokens", "320", "--max-batch-total-tokens", "576"),
                GenerationServers.tgiFlags(b8, 0));
        assertEquals("512", GenerationServers.tgiFlags(b8, 512).get(7), "--max-batch-tokens is the prefill budget");
        assertEquals("40", GenerationServers.tgiFlags(b8, 16).get(7), "never under --max-input-tokens, as TGI checks");
        // at 20 records/s with a 50 ms p99, one request is in flight at the tail; offline, the count is the user's
        PointResult atRate = new PointResult(new Setting(1, 8, 0, new Load.Rate(20, true)), 20, 20, 40, 45, 50, 60, 1,
                2, 10, 12, 7, Map.of(8, 10L), -1, 0.9, true, 3, 60, 0, List.of(), false, b8.generation());
        assertEquals(List.of("--max-concurrent-requests", "1"), GenerationServers.tgiFlags(atRate, 0).subList(0, 2));
        PointResult offline = new PointResult(new Setting(1, 8, 0, new Load.Offline()), 20, 20, 40, 45, 50, 60, 1,
                2, 10, 12, 7, Map.of(8, 10L), -1, 0.9, true, 3, 60, 0, List.of(), false, b8.generation());
        assertFalse(GenerationServers.tgiFlags(offline, 0).contains("--max-concurrent-requests"));
        List<ServerSettings.Block> blocks = GenerationServers.servers(b8, 0);
        assertEquals(List.of("vLLM (vllm serve)", "TGI (text-generation-launcher)"),
                blocks.stream().map(ServerSettings.Block::title).toList());
        assertTrue(blocks.get(1).text().contains("--max-batch-total-tokens 576"), blocks.get(1).text());
    }
}
