package dev.batchwise.openai;

import java.util.Objects;

/**
 * Why one request has no answer, in the shape of OpenAI's error body ({@code {"error": {"message",
 * "type", "param", "code"}}}) and the HTTP status it would have had.
 *
 * @param statusCode 400 for a request batchwise refuses, 404 for an endpoint it does not serve, 500
 *     for a failure while running
 * @param type {@code invalid_request_error} or {@code server_error}
 * @param param the body parameter at fault (for example {@code messages[1].content}), or {@code null}
 * @param code a machine-readable code such as {@code unsupported_parameter}, or {@code null}
 * @param message for the user: what went wrong and what to do, without the file and line
 */
public record ApiError(int statusCode, String type, String param, String code, String message) {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVER_ERROR = "server_error";

    public ApiError {
        Objects.requireNonNull(type);
        Objects.requireNonNull(message);
    }

    /** A request batchwise refuses (status 400). */
    public static ApiError invalid(String param, String code, String message) {
        return new ApiError(400, INVALID_REQUEST, param, code, message);
    }

    /** A failure while running a valid request (status 500). */
    public static ApiError server(String message) {
        return new ApiError(500, SERVER_ERROR, null, null, message);
    }
}
