package dev.batchwise.generate;

import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.Signature;
import dev.batchwise.fn.StepCost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What generation looks like as a function, for both ways of batching it: one input, the prompt (a
 * {@link GenerationRequest} as the binding prepared it, or plain text, run with the defaults), and the
 * outputs {@code text}, {@code finish_reason}, {@code prompt_tokens}, {@code completion_tokens}, and
 * {@code token_ids} when asked for.
 */
public final class Generation {

    public static final String INPUT = "prompt";
    public static final List<String> OUTPUTS = List.of("text", "finish_reason", "prompt_tokens", "completion_tokens");
    public static final String TOKEN_IDS = "token_ids";

    private Generation() {}

    public static Signature signature(boolean tokenIds) {
        List<String> outputs = new ArrayList<>(OUTPUTS);
        if (tokenIds) {
            outputs.add(TOKEN_IDS);
        }
        return new Signature(List.of(new Param(INPUT, ParamType.TEXT, "the prompt to generate from")), outputs);
    }

    /**
     * The request a record's argument stands for. Plain text gets the run's defaults and a seed from the
     * run's seed and the text itself (the binding, which knows the record's position, prepares a
     * {@link GenerationRequest} instead).
     */
    static GenerationRequest request(Object arg, GenerationOptions options) {
        if (arg instanceof GenerationRequest r) {
            return r.returnTokenIds() == options.returnTokenIds() ? r : r.withTokenIds(options.returnTokenIds());
        }
        if (arg instanceof String text) {
            return new GenerationRequest(text, null, options.defaults(),
                    Seeds.forRecord(options.runSeed(), text.hashCode()), options.returnTokenIds());
        }
        throw new IllegalArgumentException("a prompt is text or a prepared request, not "
                + (arg == null ? "null" : arg.getClass().getSimpleName()));
    }

    /** A tokenized request's cost: its prompt, and its cache at its longest, past and present both held. */
    static StepCost cost(DecoderEngine engine, GenerationRequest tokenized) {
        return new StepCost(tokenized.promptIds().length, 2 * engine.kvBytes(tokenized));
    }

    static String tooLarge(GenerationRequest t, StepCost cost, long budget, DecoderLayout layout) {
        return "the record needs " + mib(cost.kvCacheBytes()) + " of KV cache (" + t.promptIds().length
                + " prompt tokens and up to " + t.params().maxTokens() + " generated, " + 2 * layout.kvBytesPerToken()
                + " bytes each, past and present), more than the budget of " + mib(budget)
                + "; lower max_tokens or raise the KV cache budget";
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static List<Object> outputs(GenerationResult r, boolean tokenIds) {
        List<Object> out = new ArrayList<>(List.of(r.text(), r.finishReason(), (long) r.promptTokens(),
                (long) r.completionTokens()));
        if (tokenIds) {
            out.add(r.tokenIds() == null ? List.of() : Arrays.stream(r.tokenIds()).boxed().toList());
        }
        return out;
    }
}
