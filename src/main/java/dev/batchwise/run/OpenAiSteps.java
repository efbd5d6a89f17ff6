package dev.batchwise.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.fn.StepCost;
import dev.batchwise.fn.SteppedBatchFunction;
import dev.batchwise.fn.SteppedFunction;
import dev.batchwise.generate.Generation;
import dev.batchwise.generate.GenerationRequest;
import dev.batchwise.generate.SteppedGeneration;
import dev.batchwise.openai.Choice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One worker's instance for the chat and completion lines of a batch file under continuous batching,
 * run by the pipeline's stepped worker as {@code --task generate} is: a line joins the running set of
 * the worker's {@link SteppedGeneration} as its {@code n} choices, and leaves it, answered, when its last
 * choice has finished; so lines join and leave between decoding steps, and the stats have each line's
 * time to first token and time per output token.
 *
 * <p>The running set, as the worker's planner sees it, has one entry per line: its choices' prompt
 * tokens and KV cache added up ({@code --max-batch-size} counts lines). A line whose choice fails fails
 * whole, once its other choices have left. Owned by one worker thread.
 */
final class OpenAiSteps implements SteppedBatchFunction {

    private static final int TEXT = Generation.OUTPUTS.indexOf("text");
    private static final int FINISH_REASON = Generation.OUTPUTS.indexOf("finish_reason");
    private static final int COMPLETION_TOKENS = Generation.OUTPUTS.indexOf("completion_tokens");

    private final Lines lines;

    /**
     * @param engine the worker's own generator; owned by this instance
     * @param answers a line's answer from what its run made (called on the worker thread)
     */
    OpenAiSteps(SteppedGeneration<Object> engine, BiFunction<OpenAiBatch.Prepared, OpenAiGeneration.Answer, Object> answers) {
        this.lines = new Lines(engine, answers);
    }

    @Override
    public SteppedFunction<Object> stepped() {
        return lines;
    }

    /** The answer's {@code usage.completion_tokens}: every choice's tokens. */
    @Override
    public long outputTokens(List<Object> outputs) {
        return ((JsonNode) outputs.get(0)).path("response").path("body").path("usage").path("completion_tokens")
                .asLong();
    }

    @Override
    public void close() {
        lines.engine.close();
    }

    /** A choice's key in the engine: its line's key and its index. */
    private record ChoiceKey(Object line, int index) {}

    /** A line in the running set: its choices as they finish. */
    private static final class Running {
        final OpenAiBatch.Prepared prepared;
        final StepCost cost;
        final Choice[] choices;
        int left;
        Exception failure;

        Running(OpenAiBatch.Prepared prepared, StepCost cost, int n) {
            this.prepared = prepared;
            this.cost = cost;
            this.choices = new Choice[n];
            this.left = n;
        }
    }

    private static final class Lines implements SteppedFunction<Object> {
        private final SteppedGeneration<Object> engine;
        private final BiFunction<OpenAiBatch.Prepared, OpenAiGeneration.Answer, Object> answers;
        /** The lines running, in admission order. */
        private final Map<Object, Running> running = new LinkedHashMap<>();
        private final List<Completion<Object>> early = new ArrayList<>();

        Lines(SteppedGeneration<Object> engine, BiFunction<OpenAiBatch.Prepared, OpenAiGeneration.Answer, Object> answers) {
            this.engine = engine;
            this.answers = answers;
        }

        private static OpenAiGeneration.Prepared work(List<Object> args) {
            return (OpenAiGeneration.Prepared) ((OpenAiBatch.Prepared) args.get(0)).work();
        }

        /** The line's choices together: their prompts and their caches at their longest. */
        @Override
        public StepCost cost(List<Object> args) {
            int prefill = 0;
            long kv = 0;
            for (GenerationRequest r : work(args).choices()) {
                StepCost c = engine.cost(List.of(r));
                prefill += c.prefillTokens();
                kv += c.kvCacheBytes();
            }
            return new StepCost(prefill, kv);
        }

        @Override
        public void admit(Object key, List<Object> args) {
            OpenAiGeneration.Prepared work = work(args);
            StepCost cost;
            try {
                cost = cost(args);
            } catch (IllegalArgumentException e) {
                early.add(new Completion<>(key, null, e));
                return;
            }
            running.put(key, new Running((OpenAiBatch.Prepared) args.get(0), cost, work.choices().size()));
            for (int i = 0; i < work.choices().size(); i++) {
                engine.admit(new ChoiceKey(key, i), List.of(work.choices().get(i)));
            }
        }

        @Override
        public void step() throws Exception {
            engine.step();
        }

        @Override
        public List<Completion<Object>> drain() {
            List<Completion<Object>> out = new ArrayList<>(early);
            early.clear();
            for (Completion<Object> c : engine.drain()) {
                ChoiceKey k = (ChoiceKey) c.key();
                Running line = running.get(k.line());
                if (c.failed()) {
                    line.failure = line.failure == null ? c.failure() : line.failure;
                } else {
                    List<Object> o = c.outputs();
                    line.choices[k.index()] = new Choice((String) o.get(TEXT), (String) o.get(FINISH_REASON),
                            Math.toIntExact((Long) o.get(COMPLETION_TOKENS)));
                }
                if (--line.left == 0) {
                    running.remove(k.line());
                    out.add(finished(k.line(), line));
                }
            }
            return out;
        }

        private Completion<Object> finished(Object key, Running line) {
            if (line.failure != null) {
                return new Completion<>(key, null, line.failure);
            }
            try {
                return new Completion<>(key, List.of(answers.apply(line.prepared, new OpenAiGeneration.Answer(
                        Arrays.asList(line.choices), work(List.of(line.prepared)).promptTokens()))), null);
            } catch (RuntimeException e) { // the line fails alone, as a batch worker's call would fail it
                return new Completion<>(key, null, e);
            }
        }

        @Override
        public List<StepCost> running() {
            List<StepCost> costs = new ArrayList<>(running.size());
            for (Running r : running.values()) {
                costs.add(r.cost);
            }
            return costs;
        }

        @Override
        public long kvCacheBudgetBytes() {
            return engine.kvCacheBudgetBytes();
        }
    }
}
