package dev.batchwise.openai;

import java.util.List;
import java.util.Objects;

/**
 * One request line of a batch file, read and validated.
 *
 * @param customId the line's {@code custom_id}, echoed in its answer
 * @param endpoint the endpoint its {@code url} names
 * @param model {@code body.model}, echoed in the answer's body; {@code null} when absent (the answer then
 *     names the model that ran). The model that runs is the run's own, whatever this says.
 * @param body what it asks for
 * @param ignored the body parameters it gave that batchwise accepts without acting on them (each with
 *     its reason in {@link Parameters#ignoredWhy(String)}): the run warns once per name
 */
public record BatchRequest(String customId, Endpoint endpoint, String model, RequestBody body, List<String> ignored) {

    public BatchRequest {
        Objects.requireNonNull(customId);
        Objects.requireNonNull(endpoint);
        Objects.requireNonNull(body);
        ignored = List.copyOf(ignored);
    }
}
