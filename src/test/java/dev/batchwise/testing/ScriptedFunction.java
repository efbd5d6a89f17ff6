package dev.batchwise.testing;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A batch function for tests, {@code text -> out}: records every call's batch, computes outputs with
 * a given function, and can hold calls open until the test releases them, so a test decides the
 * order in which batches finish.
 */
public final class ScriptedFunction implements BatchFunctionFactory {

    public static final Signature SIGNATURE =
            new Signature(List.of(new Param("text", ParamType.TEXT, "")), List.of("out"));

    /** A call in progress, held until {@link #release()}. */
    public static final class HeldCall {
        private final List<Object> batch;
        private final CountDownLatch release = new CountDownLatch(1);

        HeldCall(List<Object> batch) {
            this.batch = batch;
        }

        public List<Object> batch() {
            return batch;
        }

        public void release() {
            release.countDown();
        }
    }

    private final List<List<Object>> calls = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<HeldCall> held = new LinkedBlockingQueue<>();
    private final boolean hold;
    private final Function<List<Object>, List<? extends List<?>>> body;

    private ScriptedFunction(boolean hold, Function<List<Object>, List<? extends List<?>>> body) {
        this.hold = hold;
        this.body = body;
    }

    /** Upper-cases each text. */
    public static ScriptedFunction upperCase() {
        return of(batch -> List.of(batch.stream().map(t -> ((String) t).toUpperCase()).toList()));
    }

    /** Computes each call's outputs (one list per output) from the batch of texts. */
    public static ScriptedFunction of(Function<List<Object>, List<? extends List<?>>> body) {
        return new ScriptedFunction(false, body);
    }

    /** Like {@link #upperCase()}, but every call waits in {@link #nextHeld()} until released. */
    public static ScriptedFunction held() {
        return new ScriptedFunction(true,
                batch -> List.of(batch.stream().map(t -> ((String) t).toUpperCase()).toList()));
    }

    /** Like {@link #of}, but every call waits in {@link #nextHeld()} until released, then computes. */
    public static ScriptedFunction held(Function<List<Object>, List<? extends List<?>>> body) {
        return new ScriptedFunction(true, body);
    }

    @Override
    public String name() {
        return "scripted";
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    @Override
    public BatchFunction create() {
        return inputs -> {
            List<Object> batch = List.copyOf(inputs.get(0));
            calls.add(batch);
            if (hold) {
                HeldCall call = new HeldCall(batch);
                held.add(call);
                call.release.await();
            }
            return body.apply(batch);
        };
    }

    /** Every call so far, each as its batch of texts, in the order the calls started. */
    public List<List<Object>> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Waits for the next held call to start (a bounded wait: a test that hangs fails instead). */
    public HeldCall nextHeld() throws InterruptedException {
        HeldCall call = held.poll(30, TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("no call started within 30 s");
        }
        return call;
    }
}
