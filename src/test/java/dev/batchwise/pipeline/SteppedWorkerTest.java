package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import dev.batchwise.fn.StepCost;
import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.stats.RunStats;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Runs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A function that runs by steps gets a stepped worker: on the fake clock, a record that finishes leaves
 * the running set at once, a waiting record takes its slot before the next step (joining a running
 * batch), and the output keeps the input order whatever order records finish in.
 */
class SteppedWorkerTest {

    private static final long STEP = 100_000_000L;

    /**
     * Each record is {@code NAME:STEPS}: it runs that many steps; each step sleeps {@link #STEP} on the
     * clock. Records the running set of every step.
     */
    private static final class Scripted implements SteppedBatchFunction, SteppedFunction<Object> {
        final FakeClock clock;
        final Map<Object, int[]> running = new LinkedHashMap<>();
        final Map<Object, String> names = new LinkedHashMap<>();
        final List<Completion<Object>> done = new ArrayList<>();
        final List<List<String>> steps = new CopyOnWriteArrayList<>();

        Scripted(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public SteppedFunction<Object> stepped() {
            return this;
        }

        @Override
        public StepCost cost(List<Object> args) {
            return new StepCost(1, 1);
        }

        @Override
        public void admit(Object key, List<Object> args) {
            String[] parts = ((String) args.get(0)).split(":");
            names.put(key, parts[0]);
            running.put(key, new int[] {Integer.parseInt(parts[1]), 0});
        }

        @Override
        public void step() throws Exception {
            steps.add(running.keySet().stream().map(names::get).toList());
            if (clock != null) {
                clock.sleepUntil(clock.nanoTime() + STEP);
            }
            for (var it = running.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                int[] r = e.getValue();
                if (++r[1] == r[0]) {
                    it.remove();
                    done.add(new Completion<>(e.getKey(), List.of(names.get(e.getKey()) + " ran " + r[1]), null));
                }
            }
        }

        @Override
        public List<Completion<Object>> drain() {
            List<Completion<Object>> out = List.copyOf(done);
            done.clear();
            return out;
        }

        @Override
        public List<StepCost> running() {
            return running.keySet().stream().map(k -> new StepCost(1, 1)).toList();
        }

        @Override
        public long kvCacheBudgetBytes() {
            return 1000;
        }

        @Override
        public void close() {}

        /** One token per step: the steps the record ran. */
        @Override
        public long outputTokens(List<Object> outputs) {
            return Long.parseLong(((String) outputs.get(0)).replaceAll(".* ran ", ""));
        }
    }

    @Test
    void aFinishedRecordLeavesAtOnceAWaitingOneJoinsTheRunningBatchAndOutputKeepsInputOrder() throws Exception {
        FakeClock clock = new FakeClock();
        Scripted fn = new Scripted(clock);
        Signature signature = new Signature(List.of(new Param("text", ParamType.TEXT, "NAME:STEPS")), List.of("out"));
        BatchFunctionFactory factory = BatchFunctionFactory.of("stepped", signature, () -> fn);
        PipelineConfig config = Runs.config(Runs.text(), factory, new ArrivalSpec.Burst(), Runs.batches(2), 1,
                FailureSpec.builder().build(), true);
        Pipeline pipeline = new Pipeline(config, clock, OrderedSink.Listener.none());
        long start = clock.nanoTime();
        CompletableFuture<Runs.Finished> run = PipelineTest.async(() -> Runs.run(pipeline, "a:4\nb:1\nc:1\nd:2\n"));
        for (int step = 1; step <= 4; step++) {
            long end = start + step * STEP;
            clock.awaitSleeperUntil(end, "batchwise-worker-1");
            clock.set(end);
        }
        Runs.Finished finished = run.get(30, TimeUnit.SECONDS);

        // b leaves after step 1 and c takes its slot beside a; c leaves after step 2 and d takes its slot
        assertEquals(List.of(List.of("a", "b"), List.of("a", "c"), List.of("a", "d"), List.of("a", "d")), fn.steps);
        List<JsonNode> out = finished.output();
        assertEquals(List.of("a ran 4", "b ran 1", "c ran 1", "d ran 2"),
                out.stream().map(l -> l.get("out").asText()).toList(), "input order, not finishing order");
        // all arrived at 0: c waited one step, d two; each left the step it finished
        assertEquals(List.of(0.0, 0.0, 100.0, 200.0), out.stream().map(l -> l.get("queue_ms").asDouble()).toList());
        assertEquals(List.of(400.0, 100.0, 200.0, 400.0),
                out.stream().map(l -> l.get("latency_ms").asDouble()).toList());
        // first tokens at the end of each record's first step: a and b 100 ms, c 200, d 300 (from arrival at 0);
        // after it a made 3 tokens in 300 ms and d 1 in 100 ms; b and c made one token only
        RunStats stats = finished.outcome().stats();
        assertEquals(4, stats.timeToFirstToken().count());
        // to the histogram's 3 significant digits
        assertEquals(100.0, stats.timeToFirstToken().p50(), 0.1);
        assertEquals(300.0, stats.timeToFirstToken().max(), 0.3);
        assertEquals(2, stats.timePerOutputToken().count());
        assertEquals(100.0, stats.timePerOutputToken().p99(), 0.1);
        assertEquals(8, stats.outputTokens());
    }

    /**
     * Stepped workers sharing one queue never admit the same record twice, nor lose one: each record is
     * run by exactly one worker, whatever the interleaving (steps take no time here, so the workers race).
     */
    @Test
    void workersSharingAQueueAdmitEachRecordOnce() throws Exception {
        List<Scripted> instances = new CopyOnWriteArrayList<>();
        Signature signature = new Signature(List.of(new Param("text", ParamType.TEXT, "NAME:STEPS")), List.of("out"));
        BatchFunctionFactory factory = BatchFunctionFactory.of("stepped", signature, () -> {
            Scripted s = new Scripted(null);
            instances.add(s);
            return s;
        });
        StringBuilder in = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            in.append('r').append(i).append(':').append(1 + i % 7).append('\n');
            expected.add("r" + i + " ran " + (1 + i % 7));
        }
        PipelineConfig config = Runs.config(Runs.text(), factory, new ArrivalSpec.Burst(), Runs.batches(3), 3,
                FailureSpec.builder().build(), false);
        Runs.Finished finished = Runs.run(config, in.toString());
        assertEquals(expected, finished.output().stream().map(l -> l.get("out").asText()).toList());
        List<String> admitted = new ArrayList<>();
        for (Scripted s : instances) {
            admitted.addAll(s.names.values());
        }
        assertEquals(400, admitted.size(), "each record admitted once, by one worker");
        assertEquals(400, new java.util.HashSet<>(admitted).size());
    }

    /** A record that waited past the queue timeout while the running set was full fails with code timeout. */
    @Test
    void aRecordThatWaitedPastTheTimeoutIsNotAdmitted() throws Exception {
        FakeClock clock = new FakeClock();
        Scripted fn = new Scripted(clock);
        Signature signature = new Signature(List.of(new Param("text", ParamType.TEXT, "NAME:STEPS")), List.of("out"));
        PipelineConfig config = Runs.config(Runs.text(), BatchFunctionFactory.of("stepped", signature, () -> fn),
                new ArrivalSpec.Burst(), Runs.batches(1, b -> b.timeoutNanos = 150_000_000L), 1,
                FailureSpec.builder().build(), false);
        Pipeline pipeline = new Pipeline(config, clock, OrderedSink.Listener.none());
        long start = clock.nanoTime();
        CompletableFuture<Runs.Finished> run = PipelineTest.async(() -> Runs.run(pipeline, "a:3\nb:1\n"));
        for (int step = 1; step <= 3; step++) {
            clock.awaitSleeperUntil(start + step * STEP, "batchwise-worker-1");
            clock.set(start + step * STEP);
        }
        List<JsonNode> out = run.get(30, TimeUnit.SECONDS).output();
        assertEquals("a ran 3", out.get(0).get("out").asText());
        assertEquals("timeout", out.get(1).get("error").get("code").asText(), out::toString);
        assertEquals(List.of(List.of("a"), List.of("a"), List.of("a")), fn.steps);
    }
}
