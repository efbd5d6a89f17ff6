package dev.batchwise.model;

/**
 * What a user chose about a text model's embeddings (and, for prefix and chunking, about any text
 * task's input); {@code null} everywhere means the model's own default (see {@link EmbedDefaults}).
 *
 * @param prefix text put before every record's text (and before every piece of a chunked one), or
 *     {@code null}
 * @param role the model's own query or passage prefix, for a model that defines them; {@code null}
 *     for its default (the passage prefix). Not with {@code prefix}.
 * @param pooling {@code null} for the model's own
 * @param normalize whether to scale vectors to unit length; {@code null} for the model's own
 */
public record EmbedOptions(String prefix, Role role, Pooling pooling, Boolean normalize, Chunking chunking) {

    /** The model's defaults throughout, and truncation. */
    public static final EmbedOptions DEFAULTS = new EmbedOptions(null, null, null, null, Chunking.OFF);

    /** Which of a model's two prefixes to use: for search queries, or for the texts searched. */
    public enum Role {
        QUERY, PASSAGE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public EmbedOptions {
        if (prefix != null && role != null) {
            throw new IllegalArgumentException("give either a prefix or the model's " + role.label() + " prefix, not both");
        }
        if (chunking == null) {
            chunking = Chunking.OFF;
        }
    }
}
