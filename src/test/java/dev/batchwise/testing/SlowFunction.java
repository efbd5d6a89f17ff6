package dev.batchwise.testing;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.BatchFunctionProvider;
import dev.batchwise.fn.FnArgs;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --fn slow}, registered for tests only: {@code text -> out}, the text upper-cased, where some
 * calls are slow. The first call in the process first takes {@code first}; a call whose batch holds a
 * text containing {@code marker} (default {@code HOLD}) first takes {@code hold}. For tests that run
 * batchwise in another process, where a latch cannot hold a call open: the sleep is the simulated
 * cost of a slow record, as with the built-ins' {@code delay}.
 */
public final class SlowFunction implements BatchFunctionProvider {

    static final Signature SIGNATURE = new Signature(List.of(new Param("text", ParamType.TEXT, "")), List.of("out"));

    /** Whether the process's first call has started. */
    private static final AtomicBoolean FIRST_CALL_MADE = new AtomicBoolean();

    @Override
    public String name() {
        return "slow";
    }

    @Override
    public String description() {
        return "test double: upper-cases; the first call takes first=DURATION, calls with marker take hold=DURATION";
    }

    @Override
    public BatchFunctionFactory configure(FnArgs args) {
        args.requireOnly(Set.of("first", "hold", "marker"));
        Duration first = args.duration("first", Duration.ZERO);
        Duration hold = args.duration("hold", Duration.ZERO);
        String marker = args.string("marker", "HOLD");
        return BatchFunctionFactory.of("slow", SIGNATURE, () -> inputs -> {
            List<Object> texts = inputs.get(0);
            if (FIRST_CALL_MADE.compareAndSet(false, true)) {
                Thread.sleep(first.toMillis());
            }
            if (texts.stream().anyMatch(t -> ((String) t).contains(marker))) {
                Thread.sleep(hold.toMillis());
            }
            return List.of(texts.stream().map(t -> ((String) t).toUpperCase()).toList());
        });
    }
}
