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
 * @param formatGiven whether the format was given, not taken from the file's name
 */
public record OutputSpec(Path file, OutputFormat format, boolean withTiming, Path errors, Path statsJson,
        boolean resume, Long expectRecords, boolean formatGiven) {

    public OutputSpec {
        Objects.requireNonNull(format);
    }

    /**
     * Checks that the function's outputs fit the format: {@code .npy} holds one vector per record.
     *
     * @throws SettingException when they do not
     */
    public void checkOutputs(java.util.List<String> outputs) {
        if (format == OutputFormat.NPY && outputs.size() != 1) {
            throw new SettingException("output", Phrase.of("{output<} %s: .npy holds one vector per record, and the "
                    + "function has %s outputs (%s); write JSON Lines, CSV or Parquet", file, outputs.size(),
                    String.join(", ", outputs)));
        }
    }

    /**
     * Refuses a regular output file whose extension names no format, unless the format was given:
     * such a file is not silently written as JSON Lines. A name without an extension is JSON Lines.
     *
     * @throws SettingException for such a name
     */
    void checkExtension() {
        if (!formatGiven && file != null && OutputFormat.fromFileName(file.toString()) == null
                && extension(file) != null) {
            throw new SettingException("output", Phrase.of("{output<} %s: '%s' names no output format (.jsonl, "
                    + ".ndjson, .json, .csv, .parquet, .npy); give {output-format} to write it anyway", file,
                    extension(file)));
        }
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
            if (chosen.binary() && (file == null || chosen == OutputFormat.NPY && OutputPaths.inPlace(file))) {
                throw new SettingException("output-format", Phrase.of("%s is written to a file: give {output<} FILE"
                        + (chosen == OutputFormat.NPY ? " (a regular file: its header is rewritten as rows are added)"
                        : ""), chosen.label()));
            }
            return new OutputSpec(file, chosen, withTiming, errors, statsJson, resume, expectRecords, format != null);
        }
    }

    /**
     * The extension of a file name ({@code .txt}), or {@code null} for a name without one: no dot, or
     * only a leading one ({@code .out}).
     */
    static String extension(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String n = name.toString();
        int dot = n.lastIndexOf('.');
        return dot <= 0 || dot == n.length() - 1 ? null : n.substring(dot);
    }
}
