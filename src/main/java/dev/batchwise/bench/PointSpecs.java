package dev.batchwise.bench;

import dev.batchwise.arrival.ArrivalSpec;
import dev.batchwise.run.RunSpec;
import dev.batchwise.source.InputFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * The run spec of each point of a sweep, made by run's spec builder like any run: the sweep's run
 * settings (function or model, input mapping, reader, queue, seed) with the point's max batch size,
 * max delay, workers and load; its input is the cycled files, on standard input, in their one format;
 * it writes nothing and says nothing. A generation point's stop lets its running records finish.
 */
public final class PointSpecs {

    private final Supplier<RunSpec.Builder> settings;
    private final InputFormat format;

    /**
     * @param settings a builder with the sweep's run settings, afresh at each call
     * @param format the format of the cycled inputs
     */
    public PointSpecs(Supplier<RunSpec.Builder> settings, InputFormat format) {
        this.settings = settings;
        this.format = format;
    }

    /**
     * The sweep's run settings alone: its function, mapping, reader and queue. Its max batch size is
     * the least (each point sets its own, and is checked with it).
     */
    public RunSpec base() {
        return base(0);
    }

    /** The run settings alone, with {@code modelThreads} math threads per model (0: as the settings say). */
    public RunSpec base(int modelThreads) {
        RunSpec.Builder b = settings.get();
        b.batching.maxBatchSize = 1;
        if (modelThreads > 0) {
            b.model.threads = modelThreads;
        }
        return b.build();
    }

    /** The seed of the sweep's Poisson arrivals, and of the order records are drawn in. */
    public long seed() {
        return settings.get().arrival.seed;
    }

    /**
     * The run of one point.
     *
     * @throws dev.batchwise.util.SettingException when the point's settings cannot go with the sweep's
     */
    public RunSpec point(Setting setting) {
        RunSpec.Builder b = settings.get();
        b.input.files = List.of("-");
        b.input.format = format;
        b.batching.maxBatchSize = setting.maxBatchSize();
        b.batching.maxDelayNanos = setting.maxDelayNanos();
        b.batching.workers = setting.workers();
        if (setting.modelThreads() > 0) {
            b.model.threads = setting.modelThreads();
        }
        if (setting.load() instanceof Load.Clients c) {
            b.arrival.concurrency = c.clients();
        } else if (setting.load() instanceof Load.Offline) {
            b.arrival.mode = dev.batchwise.arrival.ArrivalSpec.Mode.BURST; // as run offers a file
        } else {
            Load.Rate r = (Load.Rate) setting.load();
            b.arrival.rate = r.perSecond();
            b.arrival.mode = r.poisson() ? ArrivalSpec.Mode.POISSON : ArrivalSpec.Mode.CONSTANT;
        }
        b.quiet = true;
        b.showProgress = false;
        RunSpec spec = b.build();
        if (spec.function().generates()) {
            // the records running when the point stops finish their generation: a worker given up on mid-step
            // would be lost to the pool with records left in its running set. The point's bound in real time
            // (see RunTarget) still ends a point whose records take too long
            b.failures.grace = java.time.Duration.ofHours(1);
            spec = b.build();
        }
        return spec;
    }
}
