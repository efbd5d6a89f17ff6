package dev.batchwise.bench;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The sweep's recommendation, for people (a sentence in the table) and for programs (one JSON line
 * on standard output, documented in docs/bench.md):
 * {@code {"kind":"offline","chosen":"w=2 t=1 b=32 offline","confirmed":true,"confidence":0.97,
 * "throughput_per_second":540.2,"throughput_ci95":[528.1,552.3],"latency_p99_ms":61.0,
 * "run_flags":["--max-batch-size","32",...],"run_command":"batchwise run ..."}}; with nothing chosen,
 * {@code "chosen"} is null and the figures are left out.
 */
public final class Recommendation {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Recommendation() {}

    /** The recommendation as a JSON object. */
    public static ObjectNode json(BenchRun run) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", run.offline() ? "offline" : "server");
        Choice.Pick pick = run.result().pick();
        if (pick == null) {
            n.putNull("chosen");
            n.put("confirmed", false);
            return n;
        }
        PointResult p = pick.point();
        n.put("chosen", p.setting().key());
        n.put("confirmed", pick.confirmed());
        if (Double.isNaN(pick.confidence())) {
            n.putNull("confidence");
        } else {
            n.put("confidence", round(pick.confidence(), 3));
        }
        n.put("throughput_per_second", round(p.throughputPerSecond(), 1));
        GenerationMeasures g = p.generation();
        if (g != null) {
            n.put("output_tokens_per_second", round(g.outputTokensPerSecond(), 1));
            n.putNull("throughput_ci95"); // the interval is of the objective, output tokens per second
        }
        Stability.Estimate e = p.throughputEstimate();
        if (Double.isFinite(e.halfWidth())) {
            ArrayNode ci = n.putArray(g != null ? "output_tokens_per_second_ci95" : "throughput_ci95");
            ci.add(round(Math.max(0, e.mean() - e.halfWidth()), 1)); // no throughput is negative
            ci.add(round(e.mean() + e.halfWidth(), 1));
        } else {
            n.putNull(g != null ? "output_tokens_per_second_ci95" : "throughput_ci95");
        }
        n.put("latency_p99_ms", round(p.latencyP99Ms(), 2));
        if (g != null) {
            if (g.tokenTimes()) {
                n.put("ttft_p99_ms", round(g.ttftP99Ms(), 2));
                n.put("tpot_p99_ms", round(g.tpotP99Ms(), 2));
            } else { // static batches
                n.putNull("ttft_p99_ms");
                n.putNull("tpot_p99_ms");
            }
            n.put("mean_running_sequences", round(p.meanBatchSize(), 2));
        }
        if (pick.runnerUp() == null) {
            n.putNull("runner_up");
        } else {
            n.put("runner_up", pick.runnerUp().setting().key());
        }
        ArrayNode flags = n.putArray("run_flags");
        ServerSettings.runFlags(p).forEach(flags::add);
        n.put("run_command", ServerSettings.runCommand(p, run.runArgs()));
        if (g != null) {
            ArrayNode vllm = n.putArray("vllm_flags");
            GenerationServers.vllmFlags(p, run.maxBatchTokens()).forEach(vllm::add);
            ArrayNode tgi = n.putArray("tgi_flags");
            GenerationServers.tgiFlags(p, run.maxBatchTokens()).forEach(tgi::add);
        }
        return n;
    }

    /** The recommendation as one line of JSON, newline included. */
    public static String line(BenchRun run) {
        return json(run).toString() + "\n";
    }

    /** The recommendation as the table's closing lines: what, how fast, how sure, and the command. */
    public static String sentence(BenchRun run) {
        Choice.Pick pick = run.result().pick();
        String what = run.offline() ? "for an offline job" : "for a server";
        if (pick == null) {
            return "no point " + (run.slo() == null ? "ran to its end without failures" : "meets " + run.slo().label())
                    + ": nothing to recommend\n";
        }
        PointResult p = pick.point();
        String rules = run.offline() ? "fastest" : (run.slo() == null ? "" : run.slo().label() + ", then ")
                + "best " + run.objective().label();
        StringBuilder b = new StringBuilder();
        if (!pick.confirmed()) {
            b.append(run.offline() || run.result().points().stream().noneMatch(PointResult::stable)
                    ? "not confirmed: its throughput interval is wider than \u00b1"
                            + Math.round(Stability.TOLERANCE * 100) + "% after its windows (a busy machine?)\n"
                    : "not confirmed: no stable point qualifies\n");
        }
        GenerationMeasures g = p.generation();
        b.append(g == null ? String.format(Locale.ROOT, "recommended %s (%s): %s: %.1f records/s%s, p99 %.2f ms%n",
                what, rules, p.setting().key(), p.throughputPerSecond(), interval(p), p.latencyP99Ms())
                : String.format(Locale.ROOT, "recommended %s (%s): %s: %.1f output tokens/s%s, %sp99 %.2f ms%n",
                        what, rules, p.setting().key(), g.outputTokensPerSecond(), interval(p), !g.tokenTimes() ? ""
                                : String.format(Locale.ROOT, "ttft p99 %.2f ms, tpot p99 %.2f ms, ", g.ttftP99Ms(),
                                        g.tpotP99Ms()), p.latencyP99Ms()));
        if (pick.runnerUp() != null && !Double.isNaN(pick.confidence())) {
            b.append(String.format(Locale.ROOT, "  faster than the runner-up, %s (%.1f %s%s), with "
                    + "probability %.2f%n", pick.runnerUp().setting().key(), pick.runnerUp().objectiveRate(),
                    run.rateUnit(),
                    interval(pick.runnerUp()), pick.confidence()));
        }
        b.append("  ").append(ServerSettings.runCommand(p, run.runArgs())).append('\n');
        return b.toString();
    }

    private static String interval(PointResult p) {
        Stability.Estimate e = p.throughputEstimate();
        return Double.isFinite(e.halfWidth()) ? String.format(Locale.ROOT, " \u00b1%.1f", e.halfWidth()) : "";
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(v * scale) / scale;
    }
}
