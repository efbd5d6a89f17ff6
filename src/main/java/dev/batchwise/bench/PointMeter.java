package dev.batchwise.bench;

import dev.batchwise.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Measures one visit of a point while it runs: a warm-up, whose events are discarded, then windows
 * of {@code windowNanos} each, until the point's windows (those of its earlier visits, given, and
 * this visit's) are {@link Stability#stable} or this visit has measured {@code maxWindows}. Then it
 * is done, and later events are ignored.
 *
 * <p>Events come from the workers' threads: {@link #call} once per function call (from the instance
 * wrapper), {@link #record} once per finished record (from the pipeline's observer). Each event falls
 * in the window of the time it is reported; a window closes when the first event past its end
 * arrives. Thread-safe: every method holds this object's monitor.
 */
public final class PointMeter {

    /** Latencies are kept in microseconds, up to an hour, to 3 significant digits, as the run's stats are. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    /** The plan of a point: how long to warm up, how long a window is, how many windows at most. */
    public record Plan(long warmupNanos, long windowNanos, int maxWindows) {
        public Plan {
            if (warmupNanos < 0 || windowNanos <= 0) {
                throw new IllegalArgumentException("warm-up must not be negative and a window must be positive");
            }
            if (maxWindows < 1) {
                throw new IllegalArgumentException("a visit needs room for a window at least, not " + maxWindows);
            }
        }

        /** The longest a point can measure: warm-up and every window. */
        public long budgetNanos() {
            return warmupNanos + windowNanos * maxWindows;
        }
    }

    /** What one window accumulates. */
    private static final class Acc {
        final Histogram latency = histogram();
        final Histogram queue = histogram();
        final Histogram compute = histogram();
        final Map<Integer, Long> sizes = new TreeMap<>();
        long records;
        /** Records the calls that ended in the window computed. */
        long computed;
        long failed;
        long busyNanos;
        long realTokens;
        long paddedTokens;
        /** Generation: time to first token and per output token of the records finished. */
        final Histogram ttft = histogram();
        final Histogram tpot = histogram();
        long outputTokens;
        long longestPrompt;
        long longestSequence;
    }

    private final Clock clock;
    private final Plan plan;
    /** The windows of the point's earlier visits, for the stability rule. */
    private final List<Window> prior;
    /**
     * Whether the stability rule looks at p99 as well as throughput: a server's point. Otherwise an
     * offline job's, whose throughput counts the records its calls computed, not those written: an
     * offline run groups records by length, so its ordered output lags behind its calls by up to the
     * grouping's lookahead, a lag a whole run catches up on but a window would read as slowness.
     */
    private final boolean latencyCounts;
    /** Whether the point generates: its windows count output tokens, and its result has generation's measures. */
    private final boolean generates;
    private final CountDownLatch done = new CountDownLatch(1);
    /** Counted down when the warm-up starts, or the point ends before it does. */
    private final CountDownLatch begun = new CountDownLatch(1);
    private final List<Acc> closed = new ArrayList<>();
    private final List<Window> windows = new ArrayList<>();
    private long measureStartNanos;
    private Acc current;
    private boolean started;
    private boolean finished;
    private boolean stable;

    public PointMeter(Clock clock, Plan plan) {
        this(clock, plan, List.of(), true);
    }

    /**
     * @param prior the windows the point's earlier visits measured: this visit ends once they and its
     *     own are stable
     * @param latencyCounts whether stability asks for a narrow p99 as well as a narrow throughput
     */
    public PointMeter(Clock clock, Plan plan, List<Window> prior, boolean latencyCounts) {
        this(clock, plan, prior, latencyCounts, false);
    }

    /**
     * @param generates whether the point's function generates: its records report their first token
     *     and tokens ({@link #record(long, long, boolean, long, long, long)}), and its throughput is in
     *     output tokens
     */
    public PointMeter(Clock clock, Plan plan, List<Window> prior, boolean latencyCounts, boolean generates) {
        this.clock = clock;
        this.plan = plan;
        this.prior = List.copyOf(prior);
        this.latencyCounts = latencyCounts;
        this.generates = generates;
    }

    /** Starts the warm-up now. */
    public synchronized void start() {
        measureStartNanos = clock.nanoTime() + plan.warmupNanos();
        started = true;
        begun.countDown();
    }

    /** Waits until the warm-up has started, or the point has ended without it. */
    public void awaitStart() throws InterruptedException {
        begun.await();
    }

    /**
     * One function call finished now.
     *
     * @param computeNanos the time in the call
     * @param realTokens the records' own tokens, 0 when the function reports none
     * @param paddedTokens tokens computed, padding included
     */
    public synchronized void call(int batchSize, long computeNanos, long realTokens, long paddedTokens) {
        Acc a = at(clock.nanoTime());
        if (a == null) {
            return;
        }
        a.sizes.merge(batchSize, 1L, Long::sum);
        a.computed += batchSize;
        a.compute.recordValue(micros(computeNanos));
        a.busyNanos += computeNanos;
        a.realTokens += realTokens;
        a.paddedTokens += paddedTokens;
    }

    /** One record finished now, after {@code queueNanos} in the queue and {@code latencyNanos} from its intended arrival. */
    public synchronized void record(long queueNanos, long latencyNanos, boolean failed) {
        record(queueNanos, latencyNanos, failed, -1, 0, 0);
    }

    /**
     * One generated record finished now. Its time per output token is that after its first token,
     * {@code (latencyNanos - firstTokenNanos) / (outputTokens - 1)}, as the run's stats count it.
     *
     * @param firstTokenNanos from its intended arrival to its first token; -1 when it generated none
     * @param outputTokens the tokens it generated
     * @param promptTokens its prompt's tokens
     */
    public synchronized void record(long queueNanos, long latencyNanos, boolean failed, long firstTokenNanos,
            long outputTokens, long promptTokens) {
        Acc a = at(clock.nanoTime());
        if (a == null) {
            return;
        }
        a.records++;
        if (failed) {
            a.failed++;
        }
        a.latency.recordValue(micros(latencyNanos));
        a.queue.recordValue(micros(queueNanos));
        if (outputTokens > 0) {
            if (firstTokenNanos >= 0) { // a static batch's records have no first-token time
                a.ttft.recordValue(micros(firstTokenNanos));
                if (outputTokens > 1) {
                    a.tpot.recordValue(micros((latencyNanos - firstTokenNanos) / (outputTokens - 1)));
                }
            }
            a.outputTokens += outputTokens;
            a.longestPrompt = Math.max(a.longestPrompt, promptTokens);
            a.longestSequence = Math.max(a.longestSequence, promptTokens + outputTokens);
        }
    }

    /** Closes the windows that have ended by now, as an event would; for a caller that sees no events. */
    public synchronized void tick() {
        at(clock.nanoTime());
    }

    /** The accumulator of the window {@code now} falls in, closing those before it; null in the warm-up or once done. */
    private Acc at(long now) {
        if (!started || finished || now < measureStartNanos) {
            return null;
        }
        long index = (now - measureStartNanos) / plan.windowNanos();
        while (closed.size() < index && !finished) {
            Acc ending = current != null ? current : new Acc();
            current = null;
            closed.add(ending);
            windows.add(new Window(plan.windowNanos(), latencyCounts || generates ? ending.records : ending.computed,
                    ending.records == 0 ? 0 : ending.latency.getValueAtPercentile(99),
                    generates ? ending.outputTokens : -1));
            List<Window> all = new ArrayList<>(prior);
            all.addAll(windows);
            if (Stability.stable(all, latencyCounts)) {
                stable = true;
                finish();
            } else if (windows.size() >= plan.maxWindows()) {
                finish();
            }
        }
        if (finished) {
            return null;
        }
        if (current == null) {
            current = new Acc();
        }
        return current;
    }

    private void finish() {
        finished = true;
        current = null;
        done.countDown();
        begun.countDown();
    }

    /** Ends the point now, stable or not: the run under it has ended. */
    public synchronized void abort() {
        if (!finished) {
            finish();
        }
    }

    /** Whether the point is done: stable, or out of windows. */
    public synchronized boolean finished() {
        return finished;
    }

    /** Waits until the point is done, at most {@code timeoutNanos} of real time; returns whether it is. */
    public boolean awaitDone(long timeoutNanos) throws InterruptedException {
        return done.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The windows closed so far. */
    public synchronized List<Window> windows() {
        return List.copyOf(windows);
    }

    /** The visit's result over every window it closed; stable when they and the earlier visits' are. */
    public synchronized PointResult result(Setting setting) {
        List<Acc> used = closed;
        Acc all = new Acc();
        for (Acc a : used) {
            all.latency.add(a.latency);
            all.queue.add(a.queue);
            all.compute.add(a.compute);
            a.sizes.forEach((size, count) -> all.sizes.merge(size, count, Long::sum));
            all.records += a.records;
            all.computed += a.computed;
            all.failed += a.failed;
            all.busyNanos += a.busyNanos;
            all.realTokens += a.realTokens;
            all.paddedTokens += a.paddedTokens;
            all.ttft.add(a.ttft);
            all.tpot.add(a.tpot);
            all.outputTokens += a.outputTokens;
            all.longestPrompt = Math.max(all.longestPrompt, a.longestPrompt);
            all.longestSequence = Math.max(all.longestSequence, a.longestSequence);
        }
        long spanNanos = plan.windowNanos() * used.size();
        long calls = 0;
        long items = 0;
        for (Map.Entry<Integer, Long> e : all.sizes.entrySet()) {
            calls += e.getValue();
            items += (long) e.getKey() * e.getValue();
        }
        return new PointResult(setting,
                spanNanos == 0 ? 0 : (latencyCounts || generates ? all.records : all.computed) / (spanNanos / 1e9),
                ms(all.latency, 50), ms(all.latency, 90), ms(all.latency, 95), ms(all.latency, 99),
                all.latency.getTotalCount() == 0 ? 0 : all.latency.getMaxValue() / 1000.0,
                ms(all.queue, 50), ms(all.queue, 99), ms(all.compute, 50), ms(all.compute, 99),
                calls == 0 ? 0 : (double) items / calls, all.sizes,
                all.paddedTokens == 0 ? -1 : (double) (all.paddedTokens - all.realTokens) / all.paddedTokens,
                spanNanos == 0 ? 0 : Math.min(1.0, all.busyNanos / ((double) spanNanos * setting.workers())),
                stable, windows.size(), all.records, all.failed, windows, false, !generates ? null
                : new GenerationMeasures(spanNanos == 0 ? 0 : all.outputTokens / (spanNanos / 1e9), all.outputTokens,
                        timed(all, all.ttft, 50), timed(all, all.ttft, 90), timed(all, all.ttft, 99),
                        timed(all, all.tpot, 50), timed(all, all.tpot, 99), all.longestPrompt, all.longestSequence));
    }

    /** A first-token or per-token time; NaN when tokens came with none (static batches: no token times). */
    private static double timed(Acc all, Histogram h, double percentile) {
        return all.outputTokens > 0 && all.ttft.getTotalCount() == 0 ? Double.NaN : ms(h, percentile);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    private static long micros(long nanos) {
        return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000));
    }
}
