package dev.batchwise.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Signature;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.result.Failure;
import dev.batchwise.result.Result;
import dev.batchwise.testing.ScriptedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The Java entry for code that hands records over: ordered results, failure isolation, reused instances. */
class BatchwiseMapTest {

    /** Batches of up to {@code n}, in arrival order. */
    private static dev.batchwise.pipeline.BatchingSpec batches(int n) {
        return dev.batchwise.pipeline.BatchingSpec.of(b -> { b.maxBatchSize = n; b.groupByLength = false; }, 1);
    }

    /** Counts the instances it makes. */
    private static final class Counting implements BatchFunctionFactory {
        final BatchFunctionFactory inner;
        final AtomicInteger created = new AtomicInteger();

        Counting(BatchFunctionFactory inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Signature signature() {
            return inner.signature();
        }

        @Override
        public BatchFunction create() throws Exception {
            created.incrementAndGet();
            return inner.create();
        }
    }

    private static List<Map<String, ?>> texts(int n) {
        return IntStream.rangeClosed(1, n).<Map<String, ?>>mapToObj(i -> Map.of("text", "r" + i)).toList();
    }

    @Test
    void resultsComeInInputOrderAndOnlyTheBadRecordFails() throws Exception {
        ScriptedFunction f = ScriptedFunction.of(batch -> {
            if (batch.contains("r7")) {
                throw new IllegalStateException("cannot take r7");
            }
            return List.of(batch.stream().map(t -> ((String) t).toUpperCase()).toList());
        });
        List<Result> results = new ArrayList<>();
        try (WorkerPool pool = WorkerPool.load(f, 2)) {
            Outcome outcome = Batchwise.map(pool, batches(4), texts(20).iterator(), results::add);
            assertEquals(Outcome.Ending.COMPLETED, outcome.ending());
            assertEquals(1, outcome.stats().failed());
        }
        assertEquals(20, results.size());
        for (int i = 0; i < 20; i++) {
            Result r = results.get(i);
            assertEquals(i + 1, r.seq());
            if (i + 1 == 7) {
                assertEquals(Failure.Code.FUNCTION_ERROR, r.failure().code());
                assertNull(r.outputs());
            } else {
                assertEquals("R" + (i + 1), r.outputs()[0]);
            }
        }
    }

    @Test
    void aValueThatIsNotTextIsConvertedAsFromJson() throws Exception {
        List<Result> results = new ArrayList<>();
        try (WorkerPool pool = WorkerPool.load(ScriptedFunction.upperCase(), 1)) {
            Batchwise.map(pool, batches(8), List.<Map<String, ?>>of(Map.of("text", 42),
                    Map.of("other", "x")).iterator(), results::add);
        }
        assertEquals("42", results.get(0).outputs()[0]);
        assertEquals(Failure.Code.BAD_INPUT, results.get(1).failure().code());
    }

    @Test
    void consecutiveRunsReuseThePoolsInstances() throws Exception {
        Counting f = new Counting(ScriptedFunction.upperCase());
        try (WorkerPool pool = WorkerPool.load(f, 3)) {
            for (int batch : new int[] {1, 4, 16}) {
                List<Result> results = new ArrayList<>();
                Batchwise.map(pool, batches(batch), texts(50).iterator(), results::add);
                assertEquals(50, results.size());
            }
            assertEquals(3, pool.size());
        }
        assertEquals(3, f.created.get(), "loaded once per worker, not once per run");
    }
}
