package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.arrival.ArrivalSpec;

import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.builtin.Echo;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineTest {

    @Test
    void sixteenClosedLoopClientsMakeOneCallOfSixteen() throws Exception {
        // the sixteen clients send at once, so they are admitted together: no delay is needed to batch them
        var echo = new Echo().configure(FnArgs.none("echo"));
        var run = Runs.run(Runs.config(echo, new ArrivalSpec.ClosedLoop(16), Runs.batches(16), 1), Runs.lines(16));
        assertEquals(1, run.outcome().stats().calls());
        assertEquals(Map.of(16, 1L), run.outcome().stats().batchSizes());
        assertEquals(16, run.output().size());
    }

    @Test
    void withMaxBatchSizeOneTheSameClientsMakeSixteenCalls() throws Exception {
        var echo = new Echo().configure(FnArgs.none("echo"));
        var run = Runs.run(Runs.config(echo, new ArrivalSpec.ClosedLoop(16), Runs.batches(1), 1), Runs.lines(16));
        assertEquals(16, run.outcome().stats().calls());
        assertEquals(Map.of(1, 16L), run.outcome().stats().batchSizes());
    }

    @ParameterizedTest
    @CsvSource({"1, 10", "4, 3", "16, 1"})
    void closedLoopClientsBoundTheBatchSize(int clients, int maxBatch) throws Exception {
        ScriptedFunction f = ScriptedFunction.upperCase();
        Runs.run(Runs.config(f, new ArrivalSpec.ClosedLoop(clients), Runs.batches(maxBatch), 1), Runs.lines(40));
        for (List<Object> call : f.calls()) {
            assertTrue(call.size() <= Math.min(clients, maxBatch), () -> "call of " + call.size());
        }
        assertEquals(40, f.calls().stream().mapToInt(List::size).sum());
    }

    @Test
    void outputKeepsInputOrderWhenBatchesFinishInAnotherOrder() throws Exception {
        ScriptedFunction f = ScriptedFunction.held();
        var config = Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(2), 4);
        CompletableFuture<Runs.Finished> run = CompletableFuture.supplyAsync(() -> {
            try {
                return Runs.run(config, Runs.lines(8));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<ScriptedFunction.HeldCall> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(f.nextHeld());
        }
        calls.sort((a, b) -> ((String) a.batch().get(0)).compareTo((String) b.batch().get(0)));
        assertEquals(List.of(List.of("r1", "r2"), List.of("r3", "r4"), List.of("r5", "r6"), List.of("r7", "r8")),
                calls.stream().map(ScriptedFunction.HeldCall::batch).toList());
        for (int i : new int[] {3, 1, 2, 0}) {
            calls.get(i).release();
        }
        Runs.Finished finished = run.get(30, TimeUnit.SECONDS);
        assertEquals(IntStream.rangeClosed(1, 8).mapToObj(i -> "R" + i).toList(), texts(finished.output()));
        assertEquals(IntStream.rangeClosed(1, 8).boxed().toList(), ids(finished.output()));
    }

    @Test
    void aContractViolationFailsOnlyTheRecordsThatCauseIt() throws Exception {
        // drops the last value whenever the batch holds "r5"
        ScriptedFunction f = ScriptedFunction.of(batch -> {
            List<Object> out = new ArrayList<>(batch);
            if (batch.contains("r5")) {
                out.remove(out.size() - 1);
            }
            return List.of(out);
        });
        var run = Runs.run(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(4), 1), Runs.lines(8));
        assertEquals(Outcome.Ending.COMPLETED, run.outcome().ending());
        assertEquals(1, run.outcome().stats().failed());
        JsonNode bad = run.output().get(4);
        assertEquals("contract_violation", bad.at("/error/code").asText());
        assertEquals("function 'scripted' returned 0 values for output 'out', expected 1 (one per record in the batch)",
                bad.at("/error/message").asText());
        assertEquals(5, bad.at("/error/line").asInt());
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 7}) {
            assertEquals("r" + (i + 1), run.output().get(i).get("out").asText());
        }
    }

    @Test
    void aFunctionThatThrowsOnEveryRecordFailsThemAllAndTheRunEnds() throws Exception {
        ScriptedFunction f = ScriptedFunction.of(batch -> {
            throw new IllegalStateException("model exploded");
        });
        var run = Runs.run(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(4), 2), Runs.lines(10));
        assertEquals(10, run.outcome().stats().failed());
        for (JsonNode line : run.output()) {
            assertEquals("function 'scripted' failed: IllegalStateException: model exploded",
                    line.at("/error/message").asText());
        }
    }

    @Test
    void recordsThatWaitPastTheTimeoutFailWithoutRunning() throws Exception {
        FakeClock clock = new FakeClock();
        ScriptedFunction f = ScriptedFunction.held();
        var config = Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(2, b -> b.timeoutNanos = 1_000_000_000L), 1);
        Pipeline pipeline = new Pipeline(config, clock, dev.batchwise.sink.OrderedSink.Listener.none());
        CompletableFuture<Runs.Finished> run = async(() -> Runs.run(pipeline, Runs.lines(6)));
        // all six were admitted together, at the same instant; the worker runs the first two
        ScriptedFunction.HeldCall first = f.nextHeld();
        assertEquals(List.of("r1", "r2"), first.batch());
        clock.advance(2_500_000_000L);
        first.release();
        Runs.Finished done = run.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("R1", "R2"), texts(done.output().subList(0, 2)));
        for (JsonNode line : done.output().subList(2, 6)) {
            assertEquals("timeout", line.at("/error/code").asText());
            assertEquals("timed out after 2.5s in queue (timeout 1s)", line.at("/error/message").asText(),
                    "the setting named by its key: the command line names it --timeout");
        }
        assertEquals(List.of(List.of("r1", "r2")), f.calls());
        assertEquals(4, done.outcome().stats().timedOut());
        assertEquals(4, done.outcome().stats().failed());
        assertEquals(1, done.outcome().stats().batches());
    }

    @Test
    void aRecordFromAPipeThatGoesQuietRunsWithoutWaitingForMore() throws Exception {
        java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
        java.io.PipedInputStream stdin = new java.io.PipedInputStream(feed);
        ScriptedFunction f = ScriptedFunction.held();
        Pipeline pipeline = new Pipeline(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(16), 1),
                dev.batchwise.time.Clock.SYSTEM, dev.batchwise.sink.OrderedSink.Listener.none());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CompletableFuture<Outcome> run = async(() -> Runs.readAndWrite(pipeline, stdin, out));
        feed.write("first\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        feed.flush();
        // the pipe stays open: the record must not wait in the intake for more to come
        ScriptedFunction.HeldCall call = f.nextHeld();
        assertEquals(List.of("first"), call.batch());
        call.release();
        feed.write("second\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        feed.close();
        f.nextHeld().release();
        assertEquals(2, run.get(30, TimeUnit.SECONDS).written());
        assertEquals(List.of("FIRST", "SECOND"), texts(Runs.parse(out.toString(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @Test
    void theStatsOfAStoppedRunCountTheBatchOfAWorkerStillBusy() throws Exception {
        ScriptedFunction f = ScriptedFunction.held();
        PipelineConfig noGrace = Runs.config(Runs.text(), f, new ArrivalSpec.Burst(), Runs.batches(2), 1,
                Runs.with(FailureSpec.builder(), failures -> failures.grace = java.time.Duration.ZERO).build(), false);
        Pipeline pipeline = new Pipeline(noGrace, dev.batchwise.time.Clock.SYSTEM, dev.batchwise.sink.OrderedSink.Listener.none());
        CompletableFuture<Runs.Finished> run = async(() -> Runs.run(pipeline, Runs.lines(6)));
        f.nextHeld().release();
        ScriptedFunction.HeldCall stuck = f.nextHeld();
        pipeline.requestStop(); // no grace: the worker in the second call is left behind
        Runs.Finished done = run.get(30, TimeUnit.SECONDS);
        stuck.release();

        assertEquals(Outcome.Ending.STOPPED, done.outcome().ending());
        assertEquals(List.of("R1", "R2"), texts(done.output()));
        var stats = done.outcome().stats();
        assertTrue(stats.interrupted());
        assertEquals(2, stats.records());
        assertEquals(2, stats.batches(), "the batch still running counts as taken");
        assertEquals(1, stats.calls(), "the call still running has not returned");
    }

    /** Runs {@code body} on another thread, so the test thread can drive held calls. */
    static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return body.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static List<String> texts(List<JsonNode> output) {
        return output.stream().map(n -> n.get("out").asText()).toList();
    }

    private static List<Integer> ids(List<JsonNode> output) {
        return output.stream().map(n -> n.get("id").asInt()).toList();
    }
}
