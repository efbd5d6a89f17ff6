package dev.batchwise.generate;

import java.util.Arrays;

/**
 * One record in an engine: its request, its tokens so far, its random generator and its text. Owned
 * by the engine's thread.
 */
final class Sequence {

    final Object key;
    final GenerationRequest request;
    final SamplingParams params;
    final int[] prompt;
    final SplitMix64 rng;
    final IncrementalText text;
    /** The most tokens this sequence may hold in the cache: prompt and generated, within the model's positions. */
    final int maxLength;
    private int[] generated = new int[16];
    private int count;
    /** Tokens in the cache; the last generated token is not there until the next step feeds it. */
    int cached;
    String finishReason;
    Exception failure;
    long firstTokenNanos;

    Sequence(Object key, GenerationRequest request, int[] prompt, int maxPositions, DecoderModel model) {
        this.key = key;
        this.request = request;
        this.params = request.params();
        this.prompt = prompt;
        this.rng = new SplitMix64(request.seed());
        this.text = new IncrementalText(model::decode, prompt, params.stop());
        this.maxLength = (int) Math.min((long) prompt.length + params.maxTokens(), maxPositions);
    }

    /** A sequence that failed before it ran (its prompt could not be read or is too long). */
    Sequence(Object key, GenerationRequest request, Exception failure) {
        this.key = key;
        this.request = request;
        this.params = request.params();
        this.prompt = new int[0];
        this.rng = null;
        this.text = null;
        this.maxLength = 0;
        this.failure = failure;
    }

    int generatedCount() {
        return count;
    }

    int last() {
        return generated[count - 1];
    }

    boolean finished() {
        return finishReason != null || failure != null;
    }

    /**
     * Records the sampled token and decides whether the sequence is done: a stop token (unless
     * ignored), a stop string, max_tokens, or the model's last position.
     */
    void accept(int token, java.util.Set<Integer> eos) {
        if (count == generated.length) {
            generated = Arrays.copyOf(generated, count * 2);
        }
        generated[count++] = token;
        boolean stopToken = !params.ignoreEos() && eos.contains(token);
        boolean stopString = !stopToken && text.add(token);
        if (stopToken || stopString) {
            finishReason = GenerationResult.STOP;
        } else if (count >= params.maxTokens() || prompt.length + count >= maxLength) {
            finishReason = GenerationResult.LENGTH;
        }
        if (finishReason != null) {
            text.finish();
        }
    }

    GenerationResult result() {
        return new GenerationResult(text.text(), finishReason, prompt.length, count,
                request.returnTokenIds() ? Arrays.copyOf(generated, count) : null);
    }
}
