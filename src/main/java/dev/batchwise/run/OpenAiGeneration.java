package dev.batchwise.run;

import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.generate.DecoderModel;
import dev.batchwise.generate.GenerationOptions;
import dev.batchwise.generate.GenerationRequest;
import dev.batchwise.generate.GenerationSpec;
import dev.batchwise.generate.SamplingParams;
import dev.batchwise.generate.Seeds;
import dev.batchwise.generate.StaticGeneration;
import dev.batchwise.generate.SteppedGeneration;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelKind;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.openai.ApiError;
import dev.batchwise.openai.BatchRequest;
import dev.batchwise.openai.ChatTemplate;
import dev.batchwise.openai.ChatTemplateException;
import dev.batchwise.openai.Choice;
import dev.batchwise.openai.GenerationParams;
import dev.batchwise.openai.InvalidRequestException;
import dev.batchwise.openai.Parameters;
import dev.batchwise.openai.RequestBody;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chat and completion lines of a batch file on a decoder model: the one place where batch lines meet
 * the generation engine, batched as the run's {@link GenerationSpec} says: continuously (one
 * {@link SteppedGeneration} per worker, run by the pipeline's stepped worker through {@link OpenAiSteps},
 * as {@code --task generate} runs) or statically (one {@link StaticGeneration} per worker, {@link Worker}).
 *
 * <p>What a line leaves out comes from the run's generation settings ({@code max_tokens},
 * {@code temperature}, {@code top_p}, {@code top_k}, {@code stop}, {@code ignore_eos}; a line without a
 * {@code seed} is seeded from the run's seed and its line number). Their defaults are OpenAI's (16
 * tokens, temperature 1, top_p 1), so a run that gives no option answers as OpenAI's defaults say.
 *
 * <p>The model and its chat template are loaded once per run ({@link ChatTemplate#load}); a template
 * that cannot be loaded fails every chat line with its message, and completion lines still run.
 * Prompts are rendered and tokenized on the intake thread ({@link #prepare}): a chat's rendered text
 * as it is (the template writes the special tokens), a completion's text with the tokens the
 * tokenizer's post-processor adds, token ids as given.
 */
final class OpenAiGeneration implements AutoCloseable {

    /** A line ready to run: one request per choice, tokenized, and the prompt's tokens (counted once). */
    record Prepared(List<GenerationRequest> choices, int promptTokens) {}

    /** What a line's run made: its choices in order, and the prompt's tokens. */
    record Answer(List<Choice> choices, int promptTokens) {}

    private final DecoderModel model;
    /** The run's generation settings: each line's defaults, the run's seed, the batching, the KV cache budget. */
    private final GenerationSpec spec;
    private final ChatTemplate template;
    /** Why chat lines cannot be rendered, or {@code null} when {@link #template} is loaded. */
    private final String templateProblem;

    private OpenAiGeneration(DecoderModel model, GenerationSpec spec, ChatTemplate template, String templateProblem) {
        this.model = model;
        this.spec = spec;
        this.template = template;
        this.templateProblem = templateProblem;
    }

    /** Whether {@code model} names a decoder directory, as {@link ModelKind} tells decoders from other models. */
    static boolean isDecoder(String model) {
        return model != null && Files.isDirectory(Path.of(model)) && ModelKind.of(model) == ModelKind.DECODER;
    }

    static OpenAiGeneration open(Path dir, ModelCache cache, int threads, GenerationSpec spec)
            throws ModelLoadException {
        DecoderModel model = DecoderModel.open(dir, cache, threads);
        try {
            return new OpenAiGeneration(model, spec, ChatTemplate.load(dir, java.time.Clock.systemUTC()), null);
        } catch (ChatTemplateException e) {
            return new OpenAiGeneration(model, spec, null, e.getMessage());
        } catch (IOException e) {
            return new OpenAiGeneration(model, spec, null, "the chat template cannot be read: " + e.getMessage());
        }
    }

    String name() {
        return model.name();
    }

    GenerationSpec spec() {
        return spec;
    }

    /**
     * Renders (a chat) and tokenizes a line's prompt, one request per choice, each seeded from the
     * request's {@code seed} (or the run's seed and the line's number) and the choice's index.
     *
     * @throws InvalidRequestException for a chat the template cannot render, or a prompt the model cannot take
     */
    Prepared prepare(BatchRequest request, long line) throws InvalidRequestException {
        int[] ids;
        GenerationParams params;
        if (request.body() instanceof RequestBody.Chat chat) {
            params = chat.params();
            if (template == null) {
                throw new InvalidRequestException(ApiError.invalid("messages", "chat_template", templateProblem),
                        request.customId());
            }
            try {
                ids = model.encodeAsIs(template.render(chat.messages(), true));
            } catch (ChatTemplateException e) {
                throw new InvalidRequestException(ApiError.invalid("messages", "chat_template", e.getMessage()),
                        request.customId());
            }
        } else {
            RequestBody.Completion completion = (RequestBody.Completion) request.body();
            params = completion.params();
            ids = completion.prompt() != null ? model.encode(completion.prompt()) : completion.promptTokenIds();
        }
        String param = request.body() instanceof RequestBody.Chat ? "messages" : "prompt";
        if (ids.length == 0) {
            throw new InvalidRequestException(ApiError.invalid(param, Parameters.INVALID_VALUE,
                    "the prompt has no tokens"), request.customId());
        }
        int vocab = model.layout().vocab();
        for (int id : ids) { // given ids, or a template's special token the model's tokenizer knows and it does not
            if (id < 0 || id >= vocab) {
                throw new InvalidRequestException(ApiError.invalid(param, Parameters.INVALID_VALUE, "token id " + id
                        + " is outside the model's vocabulary of " + vocab), request.customId());
            }
        }
        SamplingParams sampling;
        try {
            sampling = sampling(params);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(ApiError.invalid(null, Parameters.INVALID_VALUE, e.getMessage()),
                    request.customId());
        }
        if (ids.length + sampling.maxTokens() > model.layout().maxPositions()) {
            throw new InvalidRequestException(ApiError.invalid(param, "context_length_exceeded", "the prompt has "
                    + ids.length + " tokens and asks for up to " + sampling.maxTokens() + " more; the model takes "
                    + model.layout().maxPositions() + " in all: shorten the prompt or lower max_tokens"),
                    request.customId());
        }
        long base = params.seed() != null ? Seeds.forRecordSeed(params.seed()) : Seeds.forRecord(spec.seed(), line);
        List<GenerationRequest> choices = new ArrayList<>(params.n());
        for (int i = 0; i < params.n(); i++) {
            choices.add(GenerationRequest.tokens(ids, sampling, i == 0 ? base : Seeds.forRecord(base, i)));
        }
        return new Prepared(choices, ids.length);
    }

    /** The line's parameters over the run's; a line's {@code stop} replaces the run's, an empty one leaves it. */
    private SamplingParams sampling(GenerationParams p) {
        SamplingParams s = spec.sampling();
        if (p.maxTokens() != null) {
            s = s.withMaxTokens(p.maxTokens());
        }
        if (p.temperature() != null) {
            s = s.withTemperature(p.temperature());
        }
        if (p.topP() != null) {
            s = s.withTopP(p.topP());
        }
        if (p.topK() != null) {
            s = s.withTopK(p.topK());
        }
        if (p.ignoreEos() != null) {
            s = s.withIgnoreEos(p.ignoreEos());
        }
        return p.stop().isEmpty() ? s : s.withStop(p.stop());
    }

    /** Whether lines run continuously (by steps, {@link #stepped}) rather than statically ({@link #worker}). */
    boolean continuous() {
        return spec.batching() == GenerationSpec.Batching.CONTINUOUS;
    }

    /** One worker's stepped generator, for continuous batching: its own engine on the shared model. */
    SteppedGeneration<Object> stepped() {
        return new SteppedGeneration<>(model, options());
    }

    /** One worker's static generator: its own engine on the shared model. */
    Worker worker() {
        return new Worker(new StaticGeneration(model, options()));
    }

    /** The engine's options: the run's, with each choice's token ids left out (answers do not carry them). */
    private GenerationOptions options() {
        return spec.options().withTokenIds(false);
    }

    /** Runs prepared lines, all choices of all lines in one static batch. Used by one thread. */
    static final class Worker implements AutoCloseable {
        private final BatchFunction generation;

        private Worker(BatchFunction generation) {
            this.generation = generation;
        }

        /** @throws Exception when the batch fails (the pipeline then splits it) */
        List<Answer> run(List<Prepared> lines, CallMetrics metrics) throws Exception {
            List<Object> requests = new ArrayList<>();
            for (Prepared p : lines) {
                requests.addAll(p.choices());
            }
            List<? extends List<?>> out = generation.apply(List.of(requests), metrics);
            List<Answer> answers = new ArrayList<>(lines.size());
            int k = 0;
            for (Prepared p : lines) {
                List<Choice> choices = new ArrayList<>(p.choices().size());
                for (int i = 0; i < p.choices().size(); i++, k++) {
                    choices.add(new Choice((String) out.get(0).get(k), (String) out.get(1).get(k),
                            Math.toIntExact((Long) out.get(3).get(k))));
                }
                answers.add(new Answer(choices, p.promptTokens()));
            }
            return answers;
        }

        @Override
        public void close() throws Exception {
            generation.close();
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
