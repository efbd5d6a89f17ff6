package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chosen setting in the forms people deploy: the exact {@code batchwise run} flags, and the
 * equivalent settings of Triton, TorchServe, Ray Serve, TF Serving and DJL Serving, each with a
 * note where that server counts its delay from another moment than batchwise does.
 *
 * <p>batchwise holds a partial batch at most max delay after the arrival of the <em>oldest</em>
 * waiting record, as Triton and TF Serving do. TorchServe and DJL Serving start the clock when a
 * worker takes the first request of a batch, and Ray Serve when its batching loop gets the first
 * request of a new batch: under load, a request may already have waited in their queue before
 * that clock starts, so the same number there can hold a request longer.
 */
public final class ServerSettings {

    /** One server's settings: a title, the text to paste, and a note (empty when none is needed). */
    public record Block(String title, String text, String note) {}

    private ServerSettings() {}

    /**
     * The {@code batchwise run} command line for a setting.
     *
     * @param runArgs the options the sweep was given besides its grid (function, model, mapping), and its inputs
     */
    public static String runCommand(Setting s, List<String> runArgs) {
        return command(runFlags(s), runArgs);
    }

    private static String command(List<String> flags, List<String> runArgs) {
        List<String> words = new ArrayList<>();
        words.add("batchwise");
        words.add("run");
        words.addAll(flags);
        words.addAll(runArgs);
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(quote(w));
        }
        return b.toString();
    }

    /**
     * The {@code batchwise run} flags of a setting alone. Offline: max batch size, workers and, when
     * varied, model threads (no delay holds a batch when every record is waiting, and run offers all at
     * once by default); for a server, max delay and the load too.
     */
    public static List<String> runFlags(Setting s) {
        return runFlags(s, true);
    }

    /**
     * The {@code batchwise run} flags of a point: as {@link #runFlags(Setting)}, without the max delay
     * for a point of continuous generation, whose records join the running batch between decoding steps
     * and are never held for a batch.
     */
    public static List<String> runFlags(PointResult p) {
        return runFlags(p.setting(), p.generation() == null || !p.generation().tokenTimes());
    }

    /** The {@code batchwise run} command line for a point; see {@link #runFlags(PointResult)}. */
    public static String runCommand(PointResult p, List<String> runArgs) {
        return command(runFlags(p), runArgs);
    }

    private static List<String> runFlags(Setting s, boolean delayApplies) {
        List<String> words = new ArrayList<>();
        words.add("--max-batch-size");
        words.add(Integer.toString(s.maxBatchSize()));
        if (!s.offline() && delayApplies) {
            words.add("--max-delay");
            words.add(Setting.delayLabel(s.maxDelayNanos()));
        }
        words.add("--workers");
        words.add(Integer.toString(s.workers()));
        if (s.modelThreads() > 0) {
            words.add("--model-threads");
            words.add(Integer.toString(s.modelThreads()));
        }
        if (s.load() instanceof Load.Clients c) {
            words.add("--concurrency");
            words.add(Integer.toString(c.clients()));
        } else if (s.load() instanceof Load.Rate r) {
            words.add("--rate");
            words.add(Load.formatRate(r.perSecond()));
            words.add("--arrival");
            words.add(r.poisson() ? "poisson" : "constant");
        }
        return words;
    }

    /** A word as a POSIX shell reads it back unchanged. */
    static String quote(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./=:,@%+-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * The settings to deploy the chosen point {@code c} with: vLLM's and TGI's for a generation point
     * ({@link GenerationServers}), the batching servers' for a server sweep's point, none for an
     * offline job's (its setting is a run's).
     */
    public static List<Block> blocks(BenchRun run, PointResult c) {
        if (c.generation() != null) {
            return GenerationServers.servers(c, run.maxBatchTokens());
        }
        return c.setting().offline() ? List.of() : servers(c.setting(), run.queueCapacity());
    }

    /** The settings of the servers, in a fixed order. */
    public static List<Block> servers(Setting s, int queueCapacity) {
        long delayMicros = Math.round(s.maxDelayNanos() / 1e3);
        long delayMsCeil = (s.maxDelayNanos() + 999_999) / 1_000_000;
        String seconds = trim(s.maxDelayNanos() / 1e9);
        String counted = "TorchServe";
        List<Block> out = new ArrayList<>();
        out.add(new Block("Triton (config.pbtxt)", String.format(Locale.ROOT, """
                max_batch_size: %d
                dynamic_batching {
                  max_queue_delay_microseconds: %d
                }
                instance_group [
                  {
                    count: %d
                    kind: KIND_CPU
                  }
                ]""", s.maxBatchSize(), delayMicros, s.workers()),
                "Counts the delay from the oldest waiting request, as batchwise does. Use KIND_GPU on a GPU."));
        out.add(new Block("TorchServe (model registration / config.properties)", String.format(Locale.ROOT, """
                batch_size=%d
                max_batch_delay=%d
                min_workers=%d
                max_workers=%d""", s.maxBatchSize(), delayMsCeil, s.workers(), s.workers()),
                counted + " counts max_batch_delay (whole milliseconds) from when a worker takes the first request "
                        + "of a batch, not from the oldest waiting request: under load a request may have queued "
                        + "before that, so it can wait longer than here."
                        + (s.maxDelayNanos() % 1_000_000 != 0 ? " Rounded up to whole milliseconds." : "")));
        out.add(new Block("Ray Serve", String.format(Locale.ROOT, """
                @serve.deployment(num_replicas=%d)
                class Model:
                    @serve.batch(max_batch_size=%d, batch_wait_timeout_s=%s, max_concurrent_batches=1)
                    async def __call__(self, requests): ...""", s.workers(), s.maxBatchSize(), seconds),
                "Ray Serve starts batch_wait_timeout_s when its batching loop gets the first request of a new batch, "
                        + "not at the oldest request's arrival; one replica per batchwise worker, each with its own "
                        + "model, one batch at a time."));
        out.add(new Block("TF Serving (--batching_parameters_file)", String.format(Locale.ROOT, """
                max_batch_size { value: %d }
                batch_timeout_micros { value: %d }
                num_batch_threads { value: %d }
                max_enqueued_batches { value: %d }""", s.maxBatchSize(), delayMicros, s.workers(),
                Math.max(1, (queueCapacity + s.maxBatchSize() - 1) / s.maxBatchSize())),
                "Counts batch_timeout_micros from the first (oldest) request of the batch, as batchwise does; "
                        + "max_enqueued_batches holds batchwise's queue capacity (" + queueCapacity + " records)."));
        out.add(new Block("DJL Serving (serving.properties)", String.format(Locale.ROOT, """
                batch_size=%d
                max_batch_delay=%d
                minWorkers=%d
                maxWorkers=%d""", s.maxBatchSize(), delayMsCeil, s.workers(), s.workers()),
                "Like TorchServe, DJL Serving counts max_batch_delay (milliseconds) from when a worker takes the "
                        + "first request, not from the oldest waiting request."));
        return out;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
