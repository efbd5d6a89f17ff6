package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.testing.FakeClock;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The coordinated-omission contract: under an open loop, latency counts from each record's scheduled
 * arrival, so when a slow function holds the intake back (the queue is full) the schedule's slip is
 * part of the latency. On the fake clock: exact figures, no real time.
 */
class OpenLoopLatencyTest {

    private static final long MS = 1_000_000L;
    /** Each call takes this long, on the fake clock. */
    private static final long CALL_NANOS = 250 * MS;

    @Test
    void latencyUnderAFixedRateIncludesTheSlipOfTheSchedule() throws Exception {
        FakeClock clock = new FakeClock();
        ScriptedFunction slow = ScriptedFunction.of(batch -> {
            try {
                clock.sleepUntil(clock.nanoTime() + CALL_NANOS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return List.of(batch);
        });
        // 10 records/s: one due every 100 ms; one record per batch, one worker, room for one in the queue
        PipelineConfig config = Runs.config(Runs.text(), slow, new ArrivalSpec.OpenLoop(10, false, 0),
                Runs.batches(1, b -> b.queueCapacity = 1), 1, FailureSpec.builder().build(), true);
        Pipeline pipeline = new Pipeline(config, clock, OrderedSink.Listener.none());
        long start = clock.nanoTime();
        CompletableFuture<Runs.Finished> run = PipelineTest.async(() -> Runs.run(pipeline, Runs.lines(5)));

        // the worker is busy from the start: calls end at 250, 500, 750, 1000 and 1250 ms; the clock
        // moves only while it sleeps in a call, so every record is taken the moment the worker is free
        for (int call = 1; call <= 5; call++) {
            long end = start + call * CALL_NANOS;
            clock.awaitSleeperUntil(end, "batchwise-worker-1");
            clock.set(end);
        }
        Runs.Finished done = run.get(30, TimeUnit.SECONDS);

        assertEquals(Outcome.Ending.COMPLETED, done.outcome().ending());
        // record k is due at (k - 1) * 100 ms and ends at k * 250 ms. From record 3 on the intake is held
        // back by the full queue and admits it late; measured from admission, records 3 to 5 would show
        // 500 ms, and the backlog the schedule builds up would be hidden
        List<Double> latenciesMs = done.output().stream().map(l -> l.get("latency_ms").asDouble()).toList();
        assertEquals(List.of(250.0, 400.0, 550.0, 700.0, 850.0), latenciesMs);
        List<Double> queueMs = done.output().stream().map(l -> l.get("queue_ms").asDouble()).toList();
        assertEquals(List.of(0.0, 150.0, 300.0, 450.0, 600.0), queueMs);
        for (JsonNode line : done.output()) {
            assertEquals(250.0, line.get("compute_ms").asDouble());
        }
    }
}
