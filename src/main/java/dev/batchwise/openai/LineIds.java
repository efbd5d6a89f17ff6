package dev.batchwise.openai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The ids of a run's answer lines ({@code id}, {@code response.request_id}, and the body's {@code id}),
 * derived from the run and the line, never from a clock or a random source: unique per line, and the
 * same when a resumed run writes a line again. Each is a prefix in OpenAI's style and 32 hex digits of
 * SHA-256 over the run key, what the id is for, and the line's number. Immutable and thread-safe.
 */
public final class LineIds {

    private final byte[] runKey;

    /**
     * @param runKey what identifies the run and stays the same across a resume (the run layer's resume
     *     fingerprint: its inputs and settings); two runs with different keys get different ids
     */
    public LineIds(String runKey) {
        this.runKey = Objects.requireNonNull(runKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The answer line's {@code id}: {@code batch_req_} and 32 hex digits. */
    public String batchRequestId(long line) {
        return "batch_req_" + digest("line", line);
    }

    /** The answer's {@code response.request_id}: {@code req_} and 32 hex digits. */
    public String requestId(long line) {
        return "req_" + digest("request", line);
    }

    /** The body's {@code id}: {@code chatcmpl-} or {@code cmpl-} and 32 hex digits. */
    public String completionId(long line, Endpoint endpoint) {
        return (endpoint == Endpoint.CHAT_COMPLETIONS ? "chatcmpl-" : "cmpl-") + digest("completion", line);
    }

    private String digest(String purpose, long line) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        sha.update(runKey);
        sha.update((byte) 0);
        sha.update(purpose.getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) 0);
        sha.update(Long.toString(line).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }
}
