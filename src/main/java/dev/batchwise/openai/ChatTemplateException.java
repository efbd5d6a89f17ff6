package dev.batchwise.openai;

/**
 * A chat template that cannot render a conversation: the template's own {@code raise_exception} (with
 * its message), a construct batchwise's Jinja engine does not support (named), or an error in the
 * template. It fails the line whose messages were being rendered.
 */
public final class ChatTemplateException extends Exception {

    private static final long serialVersionUID = 1L;

    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
