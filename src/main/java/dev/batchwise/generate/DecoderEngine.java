package dev.batchwise.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a running set of sequences on a {@link DecoderModel}, one step at a time: the prefill of the
 * sequences added since the last step (batched), then one decoding step for every running sequence. A
 * sequence that finishes leaves the running set at once; {@link #drain()} hands it over. Scheduling
 * (which sequences to add, and when) is the caller's.
 *
 * <p>With the export's own attention the conventions are transformers.js's for Optimum exports: the
 * first call takes an empty past (length 0); padding is on the left and masked by
 * {@code attention_mask}; {@code position_ids} are the cumulative sum of the mask minus one, 1 at padded
 * positions, the last {@code sequence_length} of them fed; the past is copied into the present at each
 * step ({@link KvCache}). When the model's attention reads the cache in place
 * ({@link DecoderModel#inPlaceAttention()}), prompts are right-padded, each row's length replaces the
 * mask, and the cache stays where it is ({@link InPlaceKvCache}); the positions, and so the tokens, are
 * the same. Stop tokens come from {@code generation_config.json} either way.
 *
 * <p>Not thread-safe: one engine per worker thread. Its buffers are its own; the model is shared.
 */
public final class DecoderEngine implements AutoCloseable {

    /** A sequence out of the engine: its result, or why it failed. */
    public record Finished(Object key, GenerationResult result, Exception failure) {}

    private final DecoderModel model;
    private final DecoderLayout layout;
    /** The cache the export's own attention takes (copied past to present), or null when {@link #shared} is used. */
    private final KvCache cache;
    /** The cache an in-place attention reads and writes, or null. */
    private final InPlaceKvCache shared;
    private final Sampler sampler = new Sampler();
    private final long maxPrefillLogitsBytes;
    /** Rows of the cache, in order; finished ones stay until the next layout drops them. */
    private final List<Sequence> rows = new ArrayList<>();
    private final List<Sequence> pending = new ArrayList<>();
    private final List<Finished> finished = new ArrayList<>();
    private boolean rowsLeft;
    /**
     * Whether finished rows stay in the batch, fed and computed, until every row has finished (and
     * until a held row would pass the model's last position): static batching as Hugging Face's and
     * transformers.js's generate do it. Else a finished row leaves at the next step.
     */
    private boolean holdFinishedRows;
    private final EngineProfile.Counters counters = new EngineProfile.Counters();
    private final ModelCall call;
    /** One row of logits, copied out of the direct buffer for sampling. */
    private final float[] row;

    /**
     * @param maxPrefillLogitsBytes the most logits one prefill call may return (Optimum's graphs return
     *     logits for every position: rows × tokens × vocabulary floats); a larger prefill is split
     *     into several calls, and a single prompt always goes
     */
    public DecoderEngine(DecoderModel model, long maxPrefillLogitsBytes) {
        this.model = model;
        this.layout = model.layout();
        boolean inPlace = model.inPlaceAttention();
        this.cache = inPlace ? null : new KvCache(model.env(), layout.layers(), layout.kvHeads(), layout.headDim());
        this.shared = inPlace ? new InPlaceKvCache(model.env(), layout.layers(), layout.kvHeads(), layout.headDim(),
                layout.maxPositions()) : null;
        this.maxPrefillLogitsBytes = maxPrefillLogitsBytes;
        this.call = new ModelCall(model);
        this.row = new float[layout.vocab()];
    }

    /** Keeps finished rows in the batch until all have finished; see {@link #holdFinishedRows}. */
    public DecoderEngine holdFinishedRows(boolean hold) {
        this.holdFinishedRows = hold;
        return this;
    }

    public DecoderModel model() {
        return model;
    }

    /**
     * The request with its prompt as token ids (tokenized by the model's tokenizer when it came as
     * text), checked against the model's positions and vocabulary.
     *
     * @throws IllegalArgumentException when the prompt does not fit the model
     */
    public GenerationRequest tokenize(GenerationRequest r) {
        return model.tokenized(r);
    }

    /** The most KV cache bytes a tokenized request will hold: its prompt and every token it may generate. */
    public long kvBytes(GenerationRequest tokenized) {
        long tokens = Math.min((long) tokenized.promptIds().length + tokenized.params().maxTokens(),
                layout.maxPositions());
        return tokens * layout.kvBytesPerToken();
    }

    /** Adds a request; its prefill runs at the next {@link #step()}. A request that cannot run is failed alone. */
    public void add(Object key, GenerationRequest request) {
        try {
            GenerationRequest t = tokenize(request);
            pending.add(new Sequence(key, t, t.promptIds(), layout.maxPositions(), model));
        } catch (RuntimeException e) {
            finished.add(new Finished(key, null, e instanceof IllegalArgumentException ? e
                    : new IllegalArgumentException("cannot read the prompt: " + e.getMessage(), e)));
        }
    }

    /** Sequences in the running set, prefill pending included. */
    public int running() {
        int n = pending.size();
        for (Sequence s : rows) {
            if (!s.finished()) {
                n++;
            }
        }
        return n;
    }

    /** The sequences that finished or failed since the last call. */
    public List<Finished> drain() {
        List<Finished> out = new ArrayList<>(finished);
        finished.clear();
        return out;
    }

    public EngineProfile profile() {
        return counters.snapshot();
    }

    /**
     * One iteration: the pending sequences' prefill, a new layout of the cache if rows joined or left,
     * and one decoding step for every running sequence.
     *
     * @throws OrtException when the model fails; every sequence the engine held is then failed and
     *     handed over by {@link #drain()}, and the engine is empty
     */
    public void step() throws OrtException {
        try {
            while (!pending.isEmpty()) {
                List<Sequence> group = prefillGroup();
                prefill(group);
                relayout(group);
            }
            if (rowsLeft && (!holdFinishedRows || mayDropHeldRows())) {
                relayout(List.of());
            }
            if (!rows.isEmpty()) {
                decode();
            }
        } catch (OrtException | RuntimeException e) {
            failAll(e);
            throw e;
        }
    }

    /**
     * The next prompts to prefill in one call: the pending ones shortest first (a prompt's tokens do not
     * depend on which call prefills it), while the group's padding stays within an eighth of its tokens
     * (a call's products already have a row per prompt token, so padding costs more than another call)
     * and its logits within the budget.
     */
    private List<Sequence> prefillGroup() {
        pending.sort(java.util.Comparator.comparingInt(s -> s.prompt.length));
        List<Sequence> group = new ArrayList<>();
        int longest = 0;
        long tokens = 0;
        while (!pending.isEmpty()) {
            Sequence s = pending.get(0);
            int l = Math.max(longest, s.prompt.length);
            long padded = (long) (group.size() + 1) * l;
            long logits = model.onePositionLogits() ? group.size() + 1 : padded;
            if (!group.isEmpty() && (logits * layout.vocab() * Float.BYTES > maxPrefillLogitsBytes
                    || 8 * (padded - tokens - s.prompt.length) > tokens + s.prompt.length)) {
                break;
            }
            group.add(pending.remove(0));
            longest = l;
            tokens += s.prompt.length;
        }
        return group;
    }

    private void prefill(List<Sequence> group) throws OrtException {
        long start = System.nanoTime();
        int b = group.size();
        int len = 0;
        for (Sequence s : group) {
            len = Math.max(len, s.prompt.length);
        }
        LongBuffer idsIn = call.longs(0, b * len);
        LongBuffer maskIn = call.longs(1, b * len);
        LongBuffer posIn = call.longs(2, b * len);
        IntBuffer lengths = shared == null ? null : call.ints(b);
        LongBuffer logitsAt = model.onePositionLogits() ? call.longs(3, b) : null;
        counters.prefillTokens += StepInputs.prefill(group, len, layout.padId(), idsIn, maskIn, posIn, lengths,
                logitsAt);
        // in place, the new rows go after the running ones
        OnnxTensor[][] kv = shared != null ? inPlace(rows.size(), b, len)
                : new OnnxTensor[][] {cache.emptyPast(b), cache.prefillPresent(b, len)};
        FloatBuffer out = call.logits((long) b * (logitsAt != null ? 1 : len) * layout.vocab());
        long ready = System.nanoTime();
        counters.input += ready - start;
        call.run(b, len, len, idsIn, maskIn, posIn, lengths, logitsAt, kv[0], kv[1], out, false);
        long ran = System.nanoTime();
        counters.prefillRun += ran - ready;
        counters.prefillCalls++;
        counters.prefillRows += b;
        counters.prefillPadded += (long) b * len;
        for (int r = 0; r < b; r++) {
            Sequence s = group.get(r);
            s.cached = s.prompt.length;
            s.firstTokenNanos = ran;
            int at = logitsAt != null ? r : r * len + (shared != null ? s.prompt.length - 1 : len - 1);
            next(s, out, at * layout.vocab());
        }
    }

    /**
     * The in-place cache's tensors over rows {@code [first, first + b)}, past and present (the same
     * memory), after making room for them and for {@code positions} positions in every row.
     */
    private OnnxTensor[][] inPlace(int first, int b, int positions) throws OrtException {
        shared.ensure(first + b, positions, rows);
        counters.kvCopied += shared.lastCopiedBytes();
        counters.kvPeak = Math.max(counters.kvPeak, shared.capacityBytes());
        return new OnnxTensor[][] {shared.rows(first, b), shared.rows(first, b)};
    }

    private void decode() throws OrtException {
        long start = System.nanoTime();
        int b = rows.size();
        int past = shared != null ? rows.stream().mapToInt(s -> s.cached).max().orElse(0) : cache.length();
        int total = past + 1;
        LongBuffer idsIn = call.longs(0, b);
        LongBuffer maskIn = call.longs(1, b * total);
        LongBuffer posIn = call.longs(2, b);
        IntBuffer lengths = shared == null ? null : call.ints(b);
        LongBuffer logitsAt = model.onePositionLogits() ? call.longs(3, b) : null;
        long real = StepInputs.decode(rows, past, idsIn, maskIn, posIn, lengths, logitsAt);
        OnnxTensor[][] kv = shared != null ? inPlace(0, b, total) : new OnnxTensor[][] {cache.past(), cache.present(1)};
        FloatBuffer out = call.logits((long) b * layout.vocab());
        long ready = System.nanoTime();
        counters.input += ready - start;
        call.run(b, 1, total, idsIn, maskIn, posIn, lengths, logitsAt, kv[0], kv[1], out, past > 0);
        counters.decodeRun += System.nanoTime() - ready;
        if (cache != null) {
            cache.advance(1);
        }
        counters.steps++;
        counters.decodeRows += b;
        counters.decodeRealPositions += real;
        counters.decodePositions += shared != null ? real : (long) b * total; // in place, no padding is computed
        for (int r = 0; r < b; r++) {
            Sequence s = rows.get(r);
            s.cached++;
            if (s.finished()) {
                continue; // a held row: computed, its token thrown away
            }
            next(s, out, r * layout.vocab());
            if (s.finished()) {
                rowsLeft = true;
            }
        }
    }

    /** Whether the held rows go now: every row has finished, or one is at the model's last position. */
    private boolean mayDropHeldRows() {
        boolean allDone = true;
        for (Sequence s : rows) {
            if (s.finished() && s.cached + 1 >= layout.maxPositions()) {
                return true;
            }
            allDone &= s.finished();
        }
        return allDone;
    }

    /** Samples a sequence's next token from its row of logits and hands it over if it is done. */
    private void next(Sequence s, FloatBuffer out, int offset) {
        long start = System.nanoTime();
        out.get(offset, row, 0, layout.vocab());
        int token = sampler.pick(row, layout.vocab(), s.params, s.rng);
        long picked = System.nanoTime();
        s.accept(token, layout.eosIds());
        counters.sample += picked - start;
        counters.detokenize += System.nanoTime() - picked;
        if (s.finished()) {
            finished.add(new Finished(s.key, s.result(), null));
        }
    }

    /** Lays the cache out for the rows still running followed by {@code joined}, dropping finished rows. */
    private void relayout(List<Sequence> joined) {
        if (shared != null) {
            compact(joined);
            return;
        }
        long start = System.nanoTime();
        List<KvCache.Source> sources = new ArrayList<>();
        List<Sequence> kept = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Sequence s = rows.get(r);
            if (!s.finished()) {
                sources.add(new KvCache.Source(false, r, cache.length(), s.cached));
                kept.add(s);
            }
        }
        int prefillLength = 0;
        for (Sequence s : joined) {
            prefillLength = Math.max(prefillLength, s.prompt.length);
        }
        for (int r = 0; r < joined.size(); r++) {
            Sequence s = joined.get(r);
            if (!s.finished()) {
                sources.add(new KvCache.Source(true, r, prefillLength, s.cached));
                kept.add(s);
            }
        }
        cache.rebuild(sources);
        rows.clear();
        rows.addAll(kept);
        rowsLeft = false;
        counters.rebuilds++;
        counters.kvCopied += cache.lastCopiedBytes();
        counters.kvPeak = Math.max(counters.kvPeak, cache.capacityBytes());
        counters.kvCopy += System.nanoTime() - start;
    }

    /**
     * The in-place cache's relayout: the joined rows are already after the running ones; each finished
     * row is filled by the last row, so that the rows stay packed.
     */
    private void compact(List<Sequence> joined) {
        long start = System.nanoTime();
        rows.addAll(joined);
        for (int r = 0; r < rows.size(); ) {
            if (!rows.get(r).finished()) {
                r++;
                continue;
            }
            int last = rows.size() - 1;
            if (r != last) {
                shared.move(last, r, rows.get(last).cached);
                counters.kvCopied += shared.lastCopiedBytes();
                rows.set(r, rows.get(last));
            }
            rows.remove(last);
        }
        rowsLeft = false;
        counters.rebuilds++;
        counters.kvPeak = Math.max(counters.kvPeak, shared.capacityBytes());
        counters.kvCopy += System.nanoTime() - start;
    }

    private void failAll(Exception e) {
        Exception failure = new IllegalStateException("model '" + model.name() + "' failed: " + e.getMessage(), e);
        for (Sequence s : rows) {
            if (!s.finished()) {
                finished.add(new Finished(s.key, null, failure));
            }
        }
        for (Sequence s : pending) {
            finished.add(new Finished(s.key, null, failure));
        }
        rows.clear();
        pending.clear();
        rowsLeft = false;
        if (cache != null) {
            cache.rebuild(List.of());
        }
    }

    @Override
    public void close() {
        for (Sequence s : pending) {
            finished.add(new Finished(s.key, null, new IllegalStateException("the engine was closed")));
        }
        pending.clear();
        rows.clear();
    }
}
