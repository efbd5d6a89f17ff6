package dev.batchwise.model;

/**
 * The embedding settings a run uses, each resolved from the user's choice ({@link EmbedOptions}),
 * else the model's own ({@link EmbedDefaults}): these, the model and the max length decide a vector.
 *
 * @param pooling how token vectors become one
 * @param poolingChosen whether the pooling was chosen by the user or the model's files; if not, a
 *     model whose output is already one vector per record has it taken as it is
 * @param normalize whether vectors are scaled to unit length
 * @param prefix put before every text (and every piece of a chunked one); {@code ""} for none
 */
public record EmbedSettings(Pooling pooling, boolean poolingChosen, boolean normalize, String prefix,
        Chunking chunking) {

    /**
     * @throws IllegalArgumentException for a choice the model or the task cannot take: a query or
     *     passage prefix of a model that has none, or embedding settings for another task
     */
    static EmbedSettings resolve(String model, EmbedDefaults defaults, EmbedOptions options, Task task) {
        if (task != Task.EMBED) {
            String which = options.pooling() != null ? "pooling" : options.normalize() != null ? "normalisation"
                    : options.chunking().enabled() ? "chunking" : null;
            if (which != null) {
                throw new IllegalArgumentException(which + " applies to embeddings; the task is " + task.label());
            }
            if (task == Task.SCORE && (options.prefix() != null || options.role() != null)) {
                throw new IllegalArgumentException("a prefix applies to single texts; the score task takes text pairs");
            }
        }
        String prefix;
        if (options.prefix() != null) {
            prefix = options.prefix();
        } else if (options.role() != null) {
            if (!defaults.hasRoles()) {
                throw new IllegalArgumentException("model '" + model + "' defines no query or passage prefix; give the "
                        + "prefix text itself");
            }
            prefix = options.role() == EmbedOptions.Role.QUERY ? defaults.queryPrefix() : defaults.passagePrefix();
        } else {
            prefix = task == Task.EMBED && defaults.hasRoles() ? defaults.passagePrefix() : "";
        }
        Pooling pooling = options.pooling() != null ? options.pooling() : defaults.pooling();
        boolean chosen = pooling != null;
        boolean normalize = options.normalize() != null ? options.normalize() : defaults.normalize();
        return new EmbedSettings(chosen ? pooling : Pooling.MEAN, chosen, normalize, prefix, options.chunking());
    }

    /** One line for the stats and the cache key: every setting that changes a vector. */
    public String describe() {
        return "pooling " + pooling.label() + (poolingChosen ? "" : " (or the model's own vector)") + ", "
                + (normalize ? "normalized" : "not normalized") + ", prefix " + quoted(prefix) + ", " + chunking.describe();
    }

    private static String quoted(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
