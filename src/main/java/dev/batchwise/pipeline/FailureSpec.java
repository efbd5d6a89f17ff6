package dev.batchwise.pipeline;

import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * What a failed record and a stop do to a run: part of a run spec, immutable, validated by its
 * {@link Builder}.
 *
 * @param onError whether the first failed record stops the reading
 * @param grace how long in-flight batches may take to finish after a stop is requested
 */
public record FailureSpec(OnError onError, Duration grace) {

    public FailureSpec {
        Objects.requireNonNull(onError);
        Objects.requireNonNull(grace);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The settings as given, each field starting at its default; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        /** Whether the first failed record stops the reading. */
        public OnError onError = OnError.CONTINUE;
        /** How long in-flight batches may take to finish after a stop is requested. */
        public Duration grace = Duration.ofSeconds(5);

        private Builder() {}

        /** @throws SettingException for a setting that cannot be used as given */
        public FailureSpec build() {
            if (grace.isNegative()) {
                throw new SettingException("grace", Phrase.of("{grace}: must not be negative"));
            }
            return new FailureSpec(onError, grace);
        }
    }
}
