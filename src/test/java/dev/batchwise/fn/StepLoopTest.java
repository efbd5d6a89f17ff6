package dev.batchwise.fn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.FakeClock;
import dev.batchwise.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The worker loop on the fake clock: a short record leaves the running set while a long one goes on,
 * and a waiting record takes the freed slot at the next step.
 */
class StepLoopTest {

    private static final long STEP = 1_000_000_000L;

    /** A stepped function whose records each take a given number of steps; a step takes STEP on the clock. */
    static final class Scripted implements SteppedFunction<String> {
        final Clock clock;
        final Map<String, Integer> left = new LinkedHashMap<>();
        final List<Completion<String>> done = new ArrayList<>();
        /** What ran at each step, as the test thread reads it. */
        final Map<Integer, List<String>> ranAtStep = new ConcurrentHashMap<>();
        int steps;

        Scripted(Clock clock) {
            this.clock = clock;
        }

        @Override
        public StepCost cost(List<Object> args) {
            return new StepCost(1, 1);
        }

        @Override
        public void admit(String key, List<Object> args) {
            left.put(key, (Integer) args.get(0));
        }

        @Override
        public void step() throws Exception {
            ranAtStep.put(++steps, List.copyOf(left.keySet()));
            clock.sleepUntil(clock.nanoTime() + STEP);
            for (var it = left.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                e.setValue(e.getValue() - 1);
                if (e.getValue() == 0) {
                    done.add(new Completion<>(e.getKey(), List.of(e.getKey()), null));
                    it.remove();
                }
            }
        }

        @Override
        public List<Completion<String>> drain() {
            List<Completion<String>> out = new ArrayList<>(done);
            done.clear();
            return out;
        }

        @Override
        public List<StepCost> running() {
            return left.keySet().stream().map(k -> new StepCost(1, 1)).toList();
        }

        @Override
        public long kvCacheBudgetBytes() {
            return 100;
        }
    }

    @Test
    void aShortRecordLeavesWhileALongOneContinuesAndAWaitingOneTakesItsSlotAtTheNextStep() throws Exception {
        FakeClock clock = new FakeClock();
        long t0 = clock.nanoTime();
        Scripted fn = new Scripted(clock);
        Map<String, Integer> steps = Map.of("long", 4, "short", 1, "waiting", 1);
        Deque<String> queue = new ArrayDeque<>(List.of("long", "short", "waiting"));
        Map<String, long[]> times = new ConcurrentHashMap<>();
        StepLoop<String> loop = new StepLoop<>(fn, k -> List.of(steps.get(k)), new StepPlanner.Budget(2, 0, 100, false),
                clock);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                loop.run(new StepLoop.Waiting<>() {
                    @Override
                    public synchronized List<String> peek(int max) {
                        return queue.stream().limit(max).toList();
                    }

                    @Override
                    public synchronized void take(int n) {
                        for (int i = 0; i < n; i++) {
                            queue.poll();
                        }
                    }

                    @Override
                    public synchronized boolean awaitRecord() {
                        return !queue.isEmpty();
                    }
                }, (c, admitted, first, done) -> times.put(c.key(), new long[] {admitted - t0, done - t0,
                        first - t0}));
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        worker.start();

        clock.awaitSleepers(1); // step 1 under way
        assertEquals(List.of("long", "short"), fn.ranAtStep.get(1));
        assertTrue(times.isEmpty());
        clock.advance(STEP);

        clock.awaitSleepers(1); // step 2: short has left, waiting took its slot, long goes on
        assertEquals(STEP, times.get("short")[1]);
        assertFalse(times.containsKey("long"));
        assertEquals(List.of("long", "waiting"), fn.ranAtStep.get(2));
        clock.advance(STEP);

        clock.awaitSleepers(1); // step 3: long alone
        assertEquals(STEP, times.get("waiting")[0], "admitted at the step after short left");
        assertEquals(2 * STEP, times.get("waiting")[1]);
        assertEquals(List.of("long"), fn.ranAtStep.get(3));
        clock.advance(STEP);
        clock.awaitSleepers(1);
        clock.advance(STEP);
        worker.join(30_000);
        assertFalse(worker.isAlive());
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
        assertEquals(0, times.get("long")[0]);
        assertEquals(4 * STEP, times.get("long")[1]);
        assertEquals(4, fn.steps);
    }
}
