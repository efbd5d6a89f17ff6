package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.batching.BatchPolicy;
import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thousands of records through real threads: several workers, small queues, every arrival mode, and a
 * function whose calls take random times (drawn from a seeded random) and throw for marked records.
 * Asserts outcomes only: every record is written exactly once, in input order, with its own output
 * or its own error. Timing varies from run to run; the outcome must not.
 */
class ConcurrencyStressTest {

    private static final int RECORDS = 6000;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 24);
    }

    /** One random configuration, named for the failure message. */
    record Setup(ArrivalSpec arrival, BatchPolicy policy, int workers, int queueCapacity, boolean[] bad) {
        @Override
        public String toString() {
            return arrival + ", " + policy + ", " + workers + " workers, queue " + queueCapacity;
        }
    }

    static Setup setup(Random r) {
        ArrivalSpec arrival = switch (r.nextInt(3)) {
            case 0 -> new ArrivalSpec.Burst();
            case 1 -> new ArrivalSpec.ClosedLoop(1 + r.nextInt(64));
            default -> new ArrivalSpec.OpenLoop(1_000_000, r.nextBoolean(), r.nextLong());
        };
        BatchPolicy policy = BatchPolicy.of(1 + r.nextInt(32), r.nextInt(4) == 0 ? 200_000 : 0);
        boolean[] bad = new boolean[RECORDS + 1];
        for (int i = 1; i <= RECORDS; i++) {
            bad[i] = r.nextInt(100) == 0;
        }
        return new Setup(arrival, policy, 2 + r.nextInt(5), 1 + r.nextInt(64), bad);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRecordIsWrittenOnceInOrderWhateverTheTiming(long seed) throws Exception {
        Random r = new Random(seed);
        Setup s = setup(r);
        Random delays = new Random(r.nextLong());
        ScriptedFunction f = ScriptedFunction.of(batch -> {
            long pause;
            synchronized (delays) {
                // mostly short calls; now and then one long enough to hold the head back while others finish
                pause = delays.nextInt(60) == 0 ? 3_000_000 : delays.nextInt(50_000);
            }
            LockSupport.parkNanos(pause);
            for (Object t : batch) {
                if (((String) t).startsWith("BAD")) {
                    throw new IllegalStateException("bad record");
                }
            }
            return List.of(batch.stream().map(t -> "OUT:" + t).toList());
        });
        StringBuilder input = new StringBuilder();
        for (int i = 1; i <= RECORDS; i++) {
            input.append(s.bad()[i] ? "BAD r" : "r").append(i).append('\n');
        }
        PipelineConfig config = Runs.config(Runs.text(), f, s.arrival(), Runs.batches(s.policy().maxBatchSize(), b -> {
                    b.maxDelayNanos = s.policy().maxDelayNanos();
                    b.queueCapacity = s.queueCapacity();
                }), s.workers(), Runs.with(FailureSpec.builder(), failures -> failures.grace = Duration.ofSeconds(30))
                        .build(), false);

        Runs.Finished run = Runs.run(config, input.toString());

        String where = "seed " + seed + ": " + s;
        assertEquals(Outcome.Ending.COMPLETED, run.outcome().ending(), where);
        List<JsonNode> out = run.output();
        assertEquals(RECORDS, out.size(), where);
        long failed = 0;
        for (int i = 1; i <= RECORDS; i++) {
            JsonNode line = out.get(i - 1);
            assertEquals(i, line.get("id").asInt(), where);
            if (s.bad()[i]) {
                failed++;
                assertEquals("function_error", line.at("/error/code").asText(), where + ", record " + i);
            } else {
                assertEquals("OUT:r" + i, line.get("out").asText(), where + ", record " + i);
            }
        }
        assertEquals(RECORDS, run.outcome().stats().records(), where);
        assertEquals(failed, run.outcome().stats().failed(), where);
        // no batch was taken twice: each good record was in exactly one call that succeeded (one without a bad record)
        int[] successfulCalls = new int[RECORDS + 1];
        for (List<Object> call : f.calls()) {
            if (call.stream().noneMatch(t -> ((String) t).startsWith("BAD"))) {
                for (Object t : call) {
                    successfulCalls[Integer.parseInt(((String) t).substring(1))]++;
                }
            }
        }
        for (int i = 1; i <= RECORDS; i++) {
            assertEquals(s.bad()[i] ? 0 : 1, successfulCalls[i], where + ", record " + i);
        }
    }
}
