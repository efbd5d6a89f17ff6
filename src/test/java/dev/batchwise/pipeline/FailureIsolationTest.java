package dev.batchwise.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.arrival.ArrivalSpec;

import dev.batchwise.testing.Runs;
import dev.batchwise.testing.ScriptedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One record that makes the function throw spares its batch-mates: the batch is split and the halves
 * retried until only the records that fail on their own are left failing.
 */
class FailureIsolationTest {

    /** Throws for any batch that holds a text with {@code BAD} in it; upper-cases otherwise. */
    private static ScriptedFunction throwingOnMarker() {
        return ScriptedFunction.of(batch -> {
            for (Object t : batch) {
                if (((String) t).contains("BAD")) {
                    throw new IllegalArgumentException("cannot embed '" + t + "'");
                }
            }
            return List.of(batch.stream().map(t -> ((String) t).toUpperCase()).toList());
        });
    }

    /** Lines r1..rN, with the marker in the lines numbered {@code bad}. */
    private static String lines(int n, int... bad) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            final int line = i;
            b.append(IntStream.of(bad).anyMatch(x -> x == line) ? "BAD r" : "r").append(i).append('\n');
        }
        return b.toString();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void inABatchOfSixteenWithOneBadRecordTheOtherFifteenGetTheirOutputs() throws Exception {
        ScriptedFunction f = throwingOnMarker();
        // a burst of 16 is admitted at once, so it makes one batch
        var run = Runs.run(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(16), 1), lines(16, 7));

        List<JsonNode> out = run.output();
        assertEquals(16, out.size());
        for (int i = 1; i <= 16; i++) {
            JsonNode line = out.get(i - 1);
            assertEquals(i, line.get("id").asInt());
            if (i == 7) {
                assertEquals("function_error", line.at("/error/code").asText());
                assertEquals("function 'scripted' failed: IllegalArgumentException: cannot embed 'BAD r7'",
                        line.at("/error/message").asText());
                assertEquals(7, line.at("/error/line").asInt());
            } else {
                assertEquals("R" + i, line.get("out").asText(), line::toString);
            }
        }
        // halves down to the bad record: [1-16] [1-8] [1-4] [5-8] [5-6] [7-8] [7] [8] [9-16]
        List<List<Object>> expected = List.of(texts(1, 16, 7), texts(1, 8, 7), texts(1, 4, 7), texts(5, 8, 7),
                texts(5, 6, 7), texts(7, 8, 7), texts(7, 7, 7), texts(8, 8, 7), texts(9, 16, 7));
        assertEquals(expected, f.calls());
        assertEquals(Outcome.Ending.COMPLETED, run.outcome().ending());
        assertEquals(1, run.outcome().stats().failed());
        assertEquals(15, run.outcome().stats().succeeded());
        assertEquals(1, run.outcome().stats().batches());
        assertEquals(9, run.outcome().stats().calls());
        assertEquals(8, run.outcome().stats().retriedCalls());
    }

    /** The texts of records from..to, {@code bad} with the marker. */
    private static List<Object> texts(int from, int to, int bad) {
        List<Object> t = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            t.add((i == bad ? "BAD r" : "r") + i);
        }
        return t;
    }

    @Test
    void whenEveryRecordIsBadAllFailAndTheRunStillEnds() throws Exception {
        ScriptedFunction f = throwingOnMarker();
        int[] all = IntStream.rangeClosed(1, 16).toArray();
        var run = Runs.run(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(16), 1), lines(16, all));
        assertEquals(Outcome.Ending.COMPLETED, run.outcome().ending());
        assertEquals(16, run.output().size());
        for (JsonNode line : run.output()) {
            assertEquals("function_error", line.at("/error/code").asText(), line::toString);
        }
        assertEquals(16, run.outcome().stats().failed());
        // every split fails: 2n - 1 calls for n records, the bound
        assertEquals(31, run.outcome().stats().calls());
        assertEquals(30, run.outcome().stats().retriedCalls());
        assertEquals(16, f.calls().stream().filter(c -> c.size() == 1).count());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void acrossManyBatchesAndWorkersOnlyTheMarkedRecordsFail(int workers) throws Exception {
        ScriptedFunction f = throwingOnMarker();
        int[] bad = {3, 16, 17, 40, 64};
        var run = Runs.run(Runs.config(f, new ArrivalSpec.Burst(), Runs.batches(16), workers), lines(64, bad));
        List<String> failed = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        for (JsonNode line : run.output()) {
            (line.has("error") ? failed : ok).add(line.get("id").asText());
        }
        assertEquals(List.of("3", "16", "17", "40", "64"), failed);
        assertEquals(59, ok.size());
        assertEquals(range(1, 64), run.output().stream().map(l -> l.get("id").asInt()).toList());
        assertTrue(run.outcome().stats().retriedCalls() > 0);
    }
}
