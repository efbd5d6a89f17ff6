package dev.batchwise.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chosen generation point as vLLM and Text Generation Inference (TGI) settings, each with a note on
 * what each number means and where the server differs from batchwise. Both batch continuously, as
 * batchwise's {@code --batching continuous} does, and both serve the model's own weights, not its ONNX
 * export: the numbers carry over, the speeds only as far as the engines agree.
 *
 * <p>The token figures come from the point: L, the longest prompt a finished record had, and S, the
 * longest prompt and generated text of one record. A record that stopped early (an end-of-sequence
 * token) makes S shorter than its prompt and max tokens; {@code --ignore-eos} measures the longest.
 */
public final class GenerationServers {

    private GenerationServers() {}

    /**
     * The prompt tokens one step's prefill takes at most: {@code --max-batch-tokens}, or with none the
     * max batch size times the longest prompt (every running record admitted in one step).
     */
    static long prefillTokens(Setting s, GenerationMeasures g, long maxBatchTokens) {
        return maxBatchTokens > 0 ? maxBatchTokens : s.maxBatchSize() * Math.max(1, g.longestPromptTokens());
    }

    /**
     * Requests in flight, running and waiting, at the point's load: its clients in a closed loop; for
     * a rate, the rate times the p99 latency (Little's law, at the tail); none for an offline job.
     */
    static long inFlight(PointResult p) {
        if (p.setting().load() instanceof Load.Clients c) {
            return c.clients();
        }
        if (p.setting().load() instanceof Load.Rate r) {
            return Math.max(1, (long) Math.ceil(r.perSecond() * p.latencyP99Ms() / 1e3));
        }
        return -1;
    }

    /** vLLM's flags for the point: max running sequences and the per-step token budget. */
    public static List<String> vllmFlags(PointResult p, long maxBatchTokens) {
        Setting s = p.setting();
        long budget = prefillTokens(s, p.generation(), maxBatchTokens) + s.maxBatchSize();
        return List.of("--max-num-seqs", Integer.toString(s.maxBatchSize()), "--max-num-batched-tokens",
                Long.toString(budget));
    }

    /** TGI's launcher flags for the point: requests in flight, the prefill budget and the batch's tokens. */
    public static List<String> tgiFlags(PointResult p, long maxBatchTokens) {
        Setting s = p.setting();
        GenerationMeasures g = p.generation();
        long prompt = Math.max(1, g.longestPromptTokens());
        long sequence = Math.max(prompt + 1, g.longestSequenceTokens());
        List<String> flags = new ArrayList<>();
        long inFlight = inFlight(p);
        if (inFlight > 0) {
            flags.add("--max-concurrent-requests");
            flags.add(Long.toString(inFlight));
        }
        flags.addAll(List.of("--max-input-tokens", Long.toString(prompt), "--max-total-tokens", Long.toString(sequence),
                "--max-batch-prefill-tokens", Long.toString(Math.max(prompt, prefillTokens(s, g, maxBatchTokens))),
                "--max-batch-total-tokens", Long.toString(s.maxBatchSize() * sequence)));
        return flags;
    }

    /** The vLLM and TGI blocks for the chosen generation point. */
    public static List<ServerSettings.Block> servers(PointResult p, long maxBatchTokens) {
        Setting s = p.setting();
        GenerationMeasures g = p.generation();
        int n = s.maxBatchSize();
        long prefill = prefillTokens(s, g, maxBatchTokens);
        String prefillWhat = maxBatchTokens > 0 ? "batchwise's prefill budget, --max-batch-tokens " + maxBatchTokens
                : "with no --max-batch-tokens, the max batch size " + n + " x the longest prompt, "
                        + g.longestPromptTokens() + " tokens";
        List<ServerSettings.Block> out = new ArrayList<>();
        out.add(new ServerSettings.Block("vLLM (vllm serve)", command("vllm serve MODEL", vllmFlags(p, maxBatchTokens)),
                String.format(Locale.ROOT, "--max-num-seqs is the most sequences running at once, batchwise's "
                        + "--max-batch-size. --max-num-batched-tokens is vLLM's token budget per step, prompts and "
                        + "decoding together: %s, plus one decoding token for each of the %d running sequences "
                        + "(batchwise's prefill budget counts prompt tokens only). Without chunked prefill it must "
                        + "be at least --max-model-len (vLLM's V1 engine chunks prefills by default). vLLM sizes its "
                        + "KV cache from --gpu-memory-utilization, not from these numbers.", prefillWhat, n)));
        long inFlight = inFlight(p);
        String concurrent = inFlight < 0 ? "An offline job offers every record at once: set "
                + "--max-concurrent-requests to the requests you send at once. "
                : s.load() instanceof Load.Clients ? "--max-concurrent-requests is the requests in flight at this "
                        + "load (" + inFlight + " clients, running and waiting); TGI refuses requests past it. "
                : "--max-concurrent-requests is the requests in flight at this rate, the rate x the p99 latency "
                        + "(Little's law at the tail); TGI refuses requests past it. ";
        if (!g.tokenTimes()) {
            String note = " batchwise ran static batches here (--batching static); vLLM and TGI batch continuously, "
                    + "as bench measures with --batching continuous.";
            ServerSettings.Block v = out.remove(0);
            out.add(new ServerSettings.Block(v.title(), v.text(), v.note() + note));
        }
        out.add(new ServerSettings.Block("TGI (text-generation-launcher)",
                command("text-generation-launcher --model-id MODEL", tgiFlags(p, maxBatchTokens)),
                concurrent + String.format(Locale.ROOT, "--max-batch-total-tokens is the tokens (prompt and "
                        + "generated) the running batch may hold, its KV cache: %d running x the longest sequence "
                        + "measured, %d tokens (--max-total-tokens; TGI limits its batch by these tokens, not by a "
                        + "count of sequences as batchwise does). --max-batch-prefill-tokens is the prompt tokens "
                        + "one prefill takes (%s), at least --max-input-tokens, the longest prompt measured: raise "
                        + "both for longer prompts.", n, Math.max(g.longestPromptTokens() + 1,
                        g.longestSequenceTokens()), prefill == maxBatchTokens ? "--max-batch-tokens" : prefillWhat)));
        return out;
    }

    private static String command(String head, List<String> flags) {
        StringBuilder b = new StringBuilder(head);
        for (int i = 0; i < flags.size(); i += 2) {
            b.append(" \\\n  ").append(flags.get(i)).append(' ').append(flags.get(i + 1));
        }
        return b.toString();
    }
}
