package dev.batchwise.generate;

/**
 * Where an engine's time went, and what it did, since it was made. Times in nanoseconds of the
 * engine's thread.
 *
 * @param prefillRunNanos inside ONNX Runtime, in prefill calls
 * @param decodeRunNanos inside ONNX Runtime, in decoding calls (the model's own copy of past into
 *     present, which Optimum's layout makes at every step, is in here)
 * @param inputNanos filling the input buffers (ids, mask, positions) and making the tensors
 * @param kvCopyNanos laying the KV cache out again when rows joined or left
 * @param sampleNanos picking tokens from the logits
 * @param detokenizeNanos decoding tokens into text and checking stop strings
 * @param steps decoding steps
 * @param decodeRows rows over all decoding steps (their mean is the mean running set)
 * @param prefillCalls prefill calls
 * @param prefillRows records prefilled
 * @param prefillTokens prompt tokens prefilled
 * @param prefillPaddedTokens tokens the prefill calls computed on, padding included
 * @param rebuilds times the cache was laid out again
 * @param kvCopiedBytes bytes those layouts copied
 * @param kvPeakBytes the most bytes the cache's buffers held
 * @param decodePositions cache positions the decoding steps attended over and copied, padding
 *     included (rows × padded length, summed over steps)
 * @param decodeRealPositions the positions among them that held a row's own tokens
 */
public record EngineProfile(long prefillRunNanos, long decodeRunNanos, long inputNanos, long kvCopyNanos,
        long sampleNanos, long detokenizeNanos, long steps, long decodeRows, long prefillCalls, long prefillRows,
        long prefillTokens, long prefillPaddedTokens, long rebuilds, long kvCopiedBytes, long kvPeakBytes,
        long decodePositions, long decodeRealPositions) {

    public long totalNanos() {
        return prefillRunNanos + decodeRunNanos + inputNanos + kvCopyNanos + sampleNanos + detokenizeNanos;
    }

    public double meanRunning() {
        return steps == 0 ? 0 : (double) decodeRows / steps;
    }

    /** Counters kept by the engine's thread. */
    static final class Counters {
        long prefillRun;
        long decodeRun;
        long input;
        long kvCopy;
        long sample;
        long detokenize;
        long steps;
        long decodeRows;
        long prefillCalls;
        long prefillRows;
        long prefillTokens;
        long prefillPadded;
        long rebuilds;
        long kvCopied;
        long kvPeak;
        long decodePositions;
        long decodeRealPositions;

        EngineProfile snapshot() {
            return new EngineProfile(prefillRun, decodeRun, input, kvCopy, sample, detokenize, steps, decodeRows,
                    prefillCalls, prefillRows, prefillTokens, prefillPadded, rebuilds, kvCopied, kvPeak, decodePositions,
                    decodeRealPositions);
        }
    }
}
