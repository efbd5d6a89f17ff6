package dev.batchwise.openai;

import java.util.List;

/** What one request asks for, by endpoint: the parts of its body that batchwise honours, validated. */
public sealed interface RequestBody permits RequestBody.Chat, RequestBody.Completion, RequestBody.Embeddings {

    /**
     * {@code /v1/chat/completions}: the messages, to be rendered with the model's chat template (with the
     * generation prompt), and the generation parameters.
     */
    record Chat(List<ChatMessage> messages, GenerationParams params) implements RequestBody {
        public Chat {
            messages = List.copyOf(messages);
        }
    }

    /**
     * {@code /v1/completions}: one prompt, given as a text or as token ids (exactly one of the two is
     * non-null), and the generation parameters.
     */
    record Completion(String prompt, int[] promptTokenIds, GenerationParams params) implements RequestBody {
        public Completion {
            if ((prompt == null) == (promptTokenIds == null)) {
                throw new IllegalArgumentException("a completion has either a prompt text or its token ids");
            }
            promptTokenIds = promptTokenIds == null ? null : promptTokenIds.clone();
        }

        @Override
        public int[] promptTokenIds() {
            return promptTokenIds == null ? null : promptTokenIds.clone();
        }
    }

    /**
     * {@code /v1/embeddings}: the inputs, in order (the response has one embedding per input, with its
     * index), how to write the vectors, and the vector size the request asked for ({@code dimensions},
     * or {@code null}): the run must refuse the request when the model's size differs, as
     * {@link RequestBody.Embeddings#checkDimensions(int)} does.
     */
    record Embeddings(List<EmbeddingInput> inputs, EncodingFormat format, Integer dimensions) implements RequestBody {
        public Embeddings {
            inputs = List.copyOf(inputs);
        }

        /** @throws InvalidRequestException when the request asked for another size than the model's */
        public void checkDimensions(int modelDimensions, String customId) throws InvalidRequestException {
            if (dimensions != null && dimensions != modelDimensions) {
                throw new InvalidRequestException(ApiError.invalid("dimensions", Parameters.UNSUPPORTED_VALUE,
                        "the model makes embeddings of " + modelDimensions + " dimensions, not " + dimensions
                                + "; batchwise does not shorten them: leave 'dimensions' out or set it to "
                                + modelDimensions), customId);
            }
        }
    }
}
