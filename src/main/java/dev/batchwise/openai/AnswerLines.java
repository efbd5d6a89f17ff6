package dev.batchwise.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.result.Failure;
import java.util.List;
import java.util.Objects;

/**
 * The lines of a batch output or error file, in OpenAI's shapes: {@code {"id", "custom_id", "response":
 * {"status_code", "request_id", "body"}, "error"}}, with bodies {@code chat.completion},
 * {@code text_completion} and a {@code list} of {@code embedding}, or OpenAI's error body. Usage is
 * counted from the tokens the model saw and made. Immutable and thread-safe.
 *
 * <p>Each method takes the line's number (its 1-based position in the input, which a resumed run
 * gives again) and builds the line's ids from it with {@link LineIds}.
 */
public final class AnswerLines {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final LineIds ids;
    private final String servedModel;

    /**
     * @param servedModel the name of the model that runs, written as {@code model} when a request's body
     *     names none
     */
    public AnswerLines(LineIds ids, String servedModel) {
        this.ids = Objects.requireNonNull(ids);
        this.servedModel = Objects.requireNonNull(servedModel);
    }

    /**
     * A chat or completion answer, one choice per {@code n}, with {@code index} in order.
     *
     * @param promptTokens the prompt's tokens (the rendered chat, or the prompt), counted once
     * @param createdEpochSeconds when the answer was made, in seconds since the epoch
     */
    public ObjectNode completion(long line, BatchRequest request, List<Choice> choices, int promptTokens,
            long createdEpochSeconds) {
        boolean chat = request.endpoint() == Endpoint.CHAT_COMPLETIONS;
        if (!chat && request.endpoint() != Endpoint.COMPLETIONS) {
            throw new IllegalArgumentException("not a generation request: " + request.endpoint());
        }
        ObjectNode body = F.objectNode();
        body.put("id", ids.completionId(line, request.endpoint()));
        body.put("object", chat ? "chat.completion" : "text_completion");
        body.put("created", createdEpochSeconds);
        body.put("model", modelOf(request));
        ArrayNode list = body.putArray("choices");
        int completionTokens = 0;
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            ObjectNode choice = list.addObject();
            choice.put("index", i);
            if (chat) {
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                message.put("content", c.text());
                message.putNull("refusal");
            } else {
                choice.put("text", c.text());
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason());
            completionTokens += c.completionTokens();
        }
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        return ok(line, request.customId(), body);
    }

    /**
     * An embeddings answer: one {@code embedding} per input, in order.
     *
     * @param promptTokens the tokens of all the inputs together
     */
    public ObjectNode embeddings(long line, BatchRequest request, List<float[]> vectors, int promptTokens) {
        RequestBody.Embeddings asked = (RequestBody.Embeddings) request.body();
        if (vectors.size() != asked.inputs().size()) {
            throw new IllegalArgumentException(vectors.size() + " embeddings for " + asked.inputs().size() + " inputs");
        }
        ObjectNode body = F.objectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            if (asked.format() == EncodingFormat.BASE64) {
                e.put("embedding", Vectors.base64(vectors.get(i)));
            } else {
                ArrayNode v = e.putArray("embedding");
                for (float x : vectors.get(i)) {
                    v.add(x);
                }
            }
        }
        body.put("model", modelOf(request));
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        return ok(line, request.customId(), body);
    }

    /**
     * The line of a request that failed, as OpenAI's error file has it: the HTTP-shaped response with
     * the error body, and {@code error} null.
     *
     * @param customId the request's {@code custom_id}, or {@code null} when it could not be read (the
     *     line then has none: the schema does not require it)
     */
    public ObjectNode error(long line, String customId, ApiError error) {
        ObjectNode out = F.objectNode();
        out.put("id", ids.batchRequestId(line));
        if (customId != null) {
            out.put("custom_id", customId);
        }
        ObjectNode response = out.putObject("response");
        response.put("status_code", error.statusCode());
        response.put("request_id", ids.requestId(line));
        ObjectNode e = response.putObject("body").putObject("error");
        e.put("message", error.message());
        e.put("type", error.type());
        if (error.param() == null) {
            e.putNull("param");
        } else {
            e.put("param", error.param());
        }
        if (error.code() == null) {
            e.putNull("code");
        } else {
            e.put("code", error.code());
        }
        out.putNull("error");
        return out;
    }

    /**
     * The error of a record that failed in the run rather than in its request: a line that could not be
     * read (400), or a model failure, a broken batch contract, an unwritable output or a timeout (500,
     * {@code server_error}; a timeout has the code {@code timeout}).
     */
    public static ApiError errorOf(Failure failure) {
        return switch (failure.code()) {
            case BAD_INPUT -> ApiError.invalid(null, "invalid_request_line", failure.message());
            case TIMEOUT -> new ApiError(500, ApiError.SERVER_ERROR, null, "timeout", failure.message());
            case FUNCTION_ERROR, CONTRACT_VIOLATION, UNWRITABLE_OUTPUT -> new ApiError(500, ApiError.SERVER_ERROR, null,
                    failure.code().label(), failure.message());
        };
    }

    private ObjectNode ok(long line, String customId, ObjectNode body) {
        ObjectNode out = F.objectNode();
        out.put("id", ids.batchRequestId(line));
        out.put("custom_id", customId);
        ObjectNode response = out.putObject("response");
        response.put("status_code", 200);
        response.put("request_id", ids.requestId(line));
        response.set("body", body);
        out.putNull("error");
        return out;
    }

    private String modelOf(BatchRequest request) {
        return request.model() != null ? request.model() : servedModel;
    }
}
