package dev.batchwise.result;

import java.util.Locale;
import java.util.Objects;

/** Why a record has no outputs. The message is for the user and does not repeat the origin. */
public record Failure(Code code, String message) {

    /** The kind of failure, written as the {@code code} of the output's {@code error} object. */
    public enum Code {
        /** The record could not be read or converted to the function's inputs. */
        BAD_INPUT,
        /** The function threw on this record (alone, after the batch was split). */
        FUNCTION_ERROR,
        /** The function broke the batch contract (wrong number or length of output lists). */
        CONTRACT_VIOLATION,
        /** The record waited in the queue past {@code --timeout} and was not run. */
        TIMEOUT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Failure {
        Objects.requireNonNull(code);
        Objects.requireNonNull(message);
    }
}
