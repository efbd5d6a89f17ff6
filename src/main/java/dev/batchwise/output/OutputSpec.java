package dev.batchwise.output;

import dev.batchwise.sink.OutputFormat;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a run writes, and what: part of a run spec, immutable, validated by its {@link Builder}.
 *
 * @param file the output file, or {@code null} for standard output
 * @param format the format of output lines
 * @param withTiming whether each output line carries its record's timing
 * @param errors where failed records are also written, or {@code null}
 * @param statsJson where the stats report goes as JSON, or {@code null}
 * @param resume continue the partial output an interrupted run left
 * @param expectRecords the records the output must hold, or {@code null}
 */
public record OutputSpec(Path file, OutputFormat format, boolean withTiming, Path errors, Path statsJson,
        boolean resume, Long expectRecords) {

    public OutputSpec {
        Objects.requireNonNull(format);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings as given: each field starts at its default; {@link #build()} checks them and fills
     * in the rest. Not thread-safe.
     */
    public static final class Builder {
        /** The output file, or {@code null} for standard output. */
        public Path file;
        /** The format, or {@code null} for the one the file's name implies, else JSON Lines. */
        public OutputFormat format;
        /** Whether each output line carries its record's timing. */
        public boolean withTiming;
        /** Where failed records are also written, or {@code null}. */
        public Path errors;
        /** Where the stats report goes as JSON, or {@code null}. */
        public Path statsJson;
        /** Continue the partial output an interrupted run left in {@link #file}. */
        public boolean resume;
        /** The records the output must hold, or {@code null} for no check. */
        public Long expectRecords;

        private Builder() {}

        /** @throws SettingException for a setting that cannot be used as given */
        public OutputSpec build() {
            if (expectRecords != null) {
                SettingException.inRange("expect-records", expectRecords, 0, Long.MAX_VALUE);
            }
            if (errors != null && errors.toString().equals("-")) {
                throw new SettingException("errors", Phrase.of("{errors} needs a file name (standard output carries "
                        + "the output lines)"));
            }
            OutputFormat chosen = format;
            if (chosen == null) {
                OutputFormat byName = file == null ? null : OutputFormat.fromFileName(file.toString());
                chosen = byName != null ? byName : OutputFormat.JSONL;
            }
            return new OutputSpec(file, chosen, withTiming, errors, statsJson, resume, expectRecords);
        }
    }
}
