package dev.batchwise.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchwise.fn.BatchFunction;
import dev.batchwise.fn.BatchFunctionFactory;
import dev.batchwise.fn.CallMetrics;
import dev.batchwise.fn.Param;
import dev.batchwise.fn.ParamType;
import dev.batchwise.fn.RecordPreparer;
import dev.batchwise.fn.Signature;
import dev.batchwise.model.ModelCache;
import dev.batchwise.model.ModelLoadException;
import dev.batchwise.model.Task;
import dev.batchwise.model.TextModel;
import dev.batchwise.model.Tokenized;
import dev.batchwise.openai.AnswerLines;
import dev.batchwise.openai.ApiError;
import dev.batchwise.openai.BatchRequest;
import dev.batchwise.openai.EmbeddingInput;
import dev.batchwise.openai.InvalidRequestException;
import dev.batchwise.openai.LineIds;
import dev.batchwise.openai.Parameters;
import dev.batchwise.openai.RequestBody;
import dev.batchwise.openai.RequestParser;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.source.BatchLine;
import dev.batchwise.source.InputException;
import dev.batchwise.source.Record;
import dev.batchwise.source.RecordStream;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The function of a run over an OpenAI batch file: each record is one request line, answered with
 * its whole answer line. Lines are parsed, checked and prepared on the intake thread ({@link #prepare}):
 * a line batchwise refuses fails there alone, its {@link ApiError} noted on the line for the writer
 * ({@link OpenAiLines}); chat and completion lines go to a decoder model ({@link OpenAiGeneration}),
 * embedding lines to a text model with the {@code embed} task; a line the run's one model cannot
 * serve is refused. The answer lines' ids come from {@link #start} (the run's key), set before the
 * first record is read.
 */
final class OpenAiBatch implements BatchFunctionFactory, RecordPreparer, AutoCloseable {

    static final String OUTPUT = "answer";
    static final Signature SIGNATURE = new Signature(
            List.of(new Param(BatchLine.FIELD, ParamType.JSON, "one request line of an OpenAI batch file")),
            List.of(OUTPUT));

    /** Why a line was refused, as its answer says it: noted on the line ({@link BatchLine#note}). */
    record Refusal(String customId, ApiError error) {}

    /** A line ready to run: its request and number, and what its model needs. */
    record Prepared(BatchRequest request, long line, Object work) {}

    /** An embeddings line's inputs, tokenized, and their tokens together. */
    private record Embeds(List<Object> inputs, int tokens) {}

    private final TextModel embedder;
    private final OpenAiGeneration generator;
    private final boolean detected;
    private final Consumer<String> warnings;
    /** Seen on the intake thread only. */
    private final Set<String> customIds = new HashSet<>();
    private final Set<String> warned = new HashSet<>();
    /** The embeddings' size, 0 until a line asks for one; intake thread only. */
    private int dimensions;
    private volatile AnswerLines answers;
    private volatile LineIds ids;

    private OpenAiBatch(TextModel embedder, OpenAiGeneration generator, boolean detected, Consumer<String> warnings) {
        this.embedder = embedder;
        this.generator = generator;
        this.detected = detected;
        this.warnings = warnings;
    }

    /**
     * Opens the run's model: a decoder directory for chat and completion lines, else a text model,
     * which must embed.
     *
     * @param detected whether the batch format was detected rather than given
     * @param warnings told once per parameter name that lines gave and batchwise ignores
     */
    static OpenAiBatch open(FunctionSpec function, int workers, Map<String, String> env, boolean detected,
            Consumer<String> warnings) throws FunctionStartException {
        FunctionSpec.Model model = (FunctionSpec.Model) function; // BatchInput.asBatch refuses a function
        if (OpenAiGeneration.isDecoder(model.model())) {
            int cores = Runtime.getRuntime().availableProcessors();
            int threads = model.options().threads() != null ? model.options().threads()
                    : Math.max(1, cores / Math.max(1, workers));
            String cacheDir = model.options().cacheDir();
            ModelCache cache = new ModelCache(cacheDir != null ? Path.of(cacheDir) : ModelCache.defaultRoot(env));
            try {
                return new OpenAiBatch(null, OpenAiGeneration.open(Path.of(model.model()), cache, threads,
                        model.generation()), detected, warnings);
            } catch (ModelLoadException e) {
                throw new FunctionStartException(e);
            }
        }
        if (model.options().task() != Task.EMBED) {
            throw new SettingException("task", Phrase.of("an OpenAI batch file's embedding lines need {task} embed, "
                    + "not %s; chat and completion lines need a decoder model's directory", model.options().task()));
        }
        dev.batchwise.fn.BatchFunctionFactory factory = model.factory(workers, env);
        TextModel embedder = EmbeddingFunctions.textModel(factory);
        if (embedder != factory) { // an image model, or a text model behind a vector format or a cache
            RunSession.closeQuietly(factory); // refused before any record ran: the refusal is what counts
            throw new SettingException("model", embedder == null
                    ? Phrase.of("an OpenAI batch file's embedding lines need a text embedding model; '%s' is not one",
                            model.name())
                    : Phrase.of("an OpenAI batch file's answers hold floats or base64, as each line's "
                            + "encoding_format asks: {embedding-format} and {cache} are for ordinary records"));
        }
        return new OpenAiBatch(embedder, null, detected, warnings);
    }

    /** Sets the key of the run's answer ids (its resume fingerprint) and the model answers name. */
    void start(String runKey) {
        ids = new LineIds(runKey);
        answers = new AnswerLines(ids, name());
    }

    LineIds ids() {
        return ids;
    }

    /**
     * {@code records}, telling this function the {@code custom_id}s of the lines a resumed run skips
     * (the first {@code done}), so that a later line repeating one fails as in a run from the start.
     */
    RecordStream skipping(RecordStream records, long done) {
        if (done == 0) {
            return records;
        }
        return new RecordStream() {
            @Override
            public Record next() throws InputException {
                Record r = records.next();
                BatchLine line = r == null || r.seq() > done || r.isBad() ? null
                        : BatchLine.of(r.fields().get(BatchLine.FIELD));
                if (line != null && line.line().get("custom_id") instanceof JsonNode id && id.isTextual()
                        && !id.textValue().isEmpty()) {
                    customIds.add(id.textValue());
                }
                return r;
            }

            @Override
            public boolean ready() {
                return records.ready();
            }

            @Override
            public long recordsRead() {
                return records.recordsRead();
            }
        };
    }

    AnswerLines answers() {
        return answers;
    }

    boolean detected() {
        return detected;
    }

    /** The text model that serves embedding lines, or {@code null} for a decoder. */
    TextModel embedder() {
        return embedder;
    }

    @Override
    public String name() {
        return embedder != null ? embedder.name() : generator.name();
    }

    @Override
    public Signature signature() {
        return SIGNATURE;
    }

    /**
     * Parses and checks one line and prepares it for its model; the weight is its prompt tokens.
     *
     * @throws IllegalArgumentException for a line refused: its refusal is noted on the line
     */
    @Override
    public int prepare(Object[] args) {
        BatchLine line = BatchLine.of(args[0]);
        if (line == null) {
            throw new IllegalArgumentException("not a line of a batch file");
        }
        try {
            BatchRequest request;
            try {
                request = RequestParser.parse(line.line());
            } catch (InvalidRequestException e) {
                if (e.customId() != null) {
                    customIds.add(e.customId());
                }
                throw e;
            }
            if (!customIds.add(request.customId())) {
                throw new InvalidRequestException(ApiError.invalid("custom_id", "duplicate_custom_id", "custom_id '"
                        + request.customId() + "' is on an earlier line; each line needs a custom_id of its own"),
                        request.customId());
            }
            Object work = request.endpoint().generates() ? generation(request, line.seq()) : embeddings(request);
            for (String name : request.ignored()) {
                if (warned.add(name)) {
                    warnings.accept("batch lines give '" + name + "', which has no effect here: "
                            + Parameters.ignoredWhy(name));
                }
            }
            args[0] = new Prepared(request, line.seq(), work);
            return Math.max(1, work instanceof Embeds e ? e.tokens()
                    : ((OpenAiGeneration.Prepared) work).promptTokens() * ((OpenAiGeneration.Prepared) work).choices().size());
        } catch (InvalidRequestException e) {
            line.note(new Refusal(e.customId(), e.error()));
            throw new IllegalArgumentException(e.error().message());
        }
    }

    private Object generation(BatchRequest request, long line) throws InvalidRequestException {
        if (generator == null) {
            throw cannotServe(request, "a decoder model (a directory with model.onnx and generation_config.json)");
        }
        return generator.prepare(request, line);
    }

    private Embeds embeddings(BatchRequest request) throws InvalidRequestException {
        if (embedder == null) {
            throw cannotServe(request, "an embedding model (a bundled one, or a directory with tokenizer.json)");
        }
        RequestBody.Embeddings body = (RequestBody.Embeddings) request.body();
        if (body.dimensions() != null) {
            body.checkDimensions(dimensions(), request.customId());
        }
        List<Object> inputs = new ArrayList<>(body.inputs().size());
        int tokens = 0;
        for (int i = 0; i < body.inputs().size(); i++) {
            EmbeddingInput input = body.inputs().get(i);
            Object[] one = {input.text() != null ? input.text() : tokenIds(input.tokenIds(), i, request)};
            tokens += embedder.prepare(one);
            inputs.add(one[0]);
        }
        return new Embeds(inputs, tokens);
    }

    /**
     * The size of the model's embeddings, learnt from one embedding the first time a line asks for a size
     * ({@code dimensions}); on the intake thread.
     */
    private int dimensions() throws InvalidRequestException {
        if (dimensions == 0) {
            try (BatchFunction probe = embedder.create()) {
                Object[] one = {"a"};
                embedder.prepare(one);
                int column = embedder.signature().outputs().indexOf("embedding");
                dimensions = ((float[]) probe.apply(List.of(List.of(one[0]))).get(column).get(0)).length;
            } catch (Exception e) {
                throw new InvalidRequestException(ApiError.server("the model's embedding size cannot be learnt: "
                        + e.getMessage()), null);
            }
        }
        return dimensions;
    }

    /**
     * Token ids given as an embedding input, taken as they are (as vLLM takes them: no special tokens
     * added), within the model's max length and vocabulary.
     */
    private Tokenized tokenIds(int[] ids, int index, BatchRequest request) throws InvalidRequestException {
        String param = "input" + (((RequestBody.Embeddings) request.body()).inputs().size() > 1 ? "[" + index + "]" : "");
        if (ids.length > embedder.maxLength()) {
            throw new InvalidRequestException(ApiError.invalid(param, "context_length_exceeded", "the input has "
                    + ids.length + " token ids; the model takes at most " + embedder.maxLength()), request.customId());
        }
        JsonNode vocab = embedder.files().config() == null ? null : embedder.files().config().get("vocab_size");
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || vocab != null && vocab.canConvertToInt() && ids[i] >= vocab.intValue()) {
                throw new InvalidRequestException(ApiError.invalid(param, Parameters.INVALID_VALUE, "token id " + ids[i]
                        + " is outside the model's vocabulary" + (vocab == null ? "" : " of " + vocab.intValue())),
                        request.customId());
            }
            out[i] = ids[i];
        }
        return new Tokenized(out, new long[ids.length], false, 0);
    }

    private InvalidRequestException cannotServe(BatchRequest request, String needs) {
        return new InvalidRequestException(ApiError.invalid("url", "unsupported_endpoint", request.endpoint().url()
                + " needs " + needs + "; this run's model '" + name() + "' cannot serve it: run these lines with "
                + "such a model"), request.customId());
    }

    /** The generator of chat and completion lines, or {@code null} for an embedding model. */
    OpenAiGeneration generator() {
        return generator;
    }

    /** One worker's instance: by steps ({@link OpenAiSteps}) for a decoder batching continuously. */
    @Override
    public BatchFunction create() throws Exception {
        if (generator != null && generator.continuous()) {
            return new OpenAiSteps(generator.stepped(), (p, made) -> answer(p, made, System.currentTimeMillis() / 1000));
        }
        BatchFunction embed = embedder == null ? null : embedder.create();
        OpenAiGeneration.Worker generate = generator == null ? null : generator.worker();
        int embedding = embedder == null ? -1 : embedder.signature().outputs().indexOf("embedding");
        return new BatchFunction() {
            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs) throws Exception {
                return apply(inputs, CallMetrics.NONE);
            }

            /** The model's phase times and token counts go to the stats as its own calls report them. */
            @Override
            public List<? extends List<?>> apply(List<List<Object>> inputs, CallMetrics metrics) throws Exception {
                List<Prepared> lines = new ArrayList<>(inputs.get(0).size());
                for (Object o : inputs.get(0)) {
                    lines.add((Prepared) o);
                }
                return List.of(embed != null ? embed(embed, embedding, lines, metrics)
                        : generate(generate, lines, metrics));
            }

            @Override
            public void close() throws Exception {
                try (AutoCloseable a = embed; AutoCloseable b = generate) {
                    // both closed
                }
            }
        };
    }

    private List<Object> embed(BatchFunction embed, int column, List<Prepared> lines, CallMetrics metrics)
            throws Exception {
        List<Object> all = new ArrayList<>();
        for (Prepared p : lines) {
            all.addAll(((Embeds) p.work()).inputs());
        }
        List<?> vectors = embed.apply(List.of(all), metrics).get(column);
        List<Object> out = new ArrayList<>(lines.size());
        int k = 0;
        for (Prepared p : lines) {
            Embeds e = (Embeds) p.work();
            List<float[]> mine = new ArrayList<>(e.inputs().size());
            for (int i = 0; i < e.inputs().size(); i++) {
                mine.add((float[]) vectors.get(k++));
            }
            out.add(answers.embeddings(p.line(), p.request(), mine, e.tokens()));
        }
        return out;
    }

    private List<Object> generate(OpenAiGeneration.Worker generate, List<Prepared> lines, CallMetrics metrics)
            throws Exception {
        List<OpenAiGeneration.Prepared> work = new ArrayList<>(lines.size());
        for (Prepared p : lines) {
            work.add((OpenAiGeneration.Prepared) p.work());
        }
        List<OpenAiGeneration.Answer> made = generate.run(work, metrics);
        long created = System.currentTimeMillis() / 1000;
        List<Object> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            out.add(answer(lines.get(i), made.get(i), created));
        }
        return out;
    }

    private Object answer(Prepared p, OpenAiGeneration.Answer made, long created) {
        return answers.completion(p.line(), p.request(), made.choices(), made.promptTokens(), created);
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
        if (generator != null) {
            generator.close();
        }
    }
}
