package dev.batchwise.result;

import dev.batchwise.util.Phrase;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a record has no outputs. The message is for the user and does not repeat the origin; the
 * settings it names (a record over the record size limit, say), each front end names its own way
 * ({@link #named}).
 */
public record Failure(Code code, Phrase phrase) {

    /** The kind of failure, written as the {@code code} of the output's {@code error} object. */
    public enum Code {
        /** The record could not be read or converted to the function's inputs. */
        BAD_INPUT,
        /** The function threw on this record (alone, after the batch was split). */
        FUNCTION_ERROR,
        /** The function broke the batch contract (wrong number or length of output lists). */
        CONTRACT_VIOLATION,
        /** The record waited in the queue past its timeout and was not run. */
        TIMEOUT,
        /** The function returned a value for this record that the output format cannot hold. */
        UNWRITABLE_OUTPUT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Failure {
        Objects.requireNonNull(code);
        Objects.requireNonNull(phrase);
    }

    /** A failure whose message names no setting. */
    public Failure(Code code, String message) {
        this(code, Phrase.text(message));
    }

    /** The message, the settings in it named by their keys. */
    public String message() {
        return phrase.toString();
    }

    /** This failure with the settings in its message named as {@code names} names them. */
    public Failure named(Phrase.Names names) {
        return new Failure(code, Phrase.text(phrase.render(names)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Failure f && f.code == code && f.message().equals(message());
    }

    @Override
    public int hashCode() {
        return Objects.hash(code, message());
    }
}
