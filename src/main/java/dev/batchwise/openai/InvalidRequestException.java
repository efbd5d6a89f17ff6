package dev.batchwise.openai;

/**
 * A request line that batchwise refuses: not JSON, not a request, an endpoint it does not serve, a
 * parameter it does not implement, or a value out of range. It fails that line alone.
 */
public final class InvalidRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ApiError error;
    private final String customId;

    /** @param customId the line's {@code custom_id} when it could be read, else {@code null} */
    public InvalidRequestException(ApiError error, String customId) {
        super(error.message());
        this.error = error;
        this.customId = customId;
    }

    public ApiError error() {
        return error;
    }

    /** The line's {@code custom_id}, or {@code null} when the line has none that could be read. */
    public String customId() {
        return customId;
    }
}
