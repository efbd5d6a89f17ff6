package dev.batchwise.pipeline;

import dev.batchwise.source.Input;
import dev.batchwise.source.InputFormat;
import dev.batchwise.source.ReaderOptions;
import dev.batchwise.util.Phrase;
import dev.batchwise.util.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run reads, and how its records meet the function: part of a run spec, immutable, validated
 * by its {@link Builder}.
 *
 * @param inputs read in turn; standard input at most once; none when code hands the records over
 * @param format the forced input format, or {@code null} to settle it per input
 * @param mapping function parameter to the column it reads, where that is not its own name
 * @param idColumn the column that keys output lines, or {@code null} for sequence numbers
 * @param limit the most records read, counted over all inputs in order; 0 for all
 * @param keep input columns copied into each output line beside the outputs, in order
 */
public record InputSpec(List<Input> inputs, InputFormat format, ReaderOptions reader, Map<String, String> mapping,
        String idColumn, long limit, List<String> keep) {

    public InputSpec {
        inputs = List.copyOf(inputs);
        mapping = Map.copyOf(mapping);
        keep = List.copyOf(keep);
        Objects.requireNonNull(reader);
    }

    /** The largest record a reader accepts: a little under 2 GiB, the most one array holds. */
    static final long MAX_RECORD_BYTES = Integer.MAX_VALUE - 16;

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings as given: each field starts at its default; {@link #build()} checks them and fills
     * in the rest. Not thread-safe.
     */
    public static final class Builder {
        /** The input files as named, {@code -} for standard input; none: standard input. */
        public List<String> files = List.of();
        /** No input files: code hands the records over (the Java API, the Spark job). */
        public boolean handedOver;
        /** The input format for every input, or {@code null} to settle it per input. */
        public InputFormat format;
        /** The longest line or record accepted, in bytes; a longer one is a failed record. */
        public long maxRecordBytes = ReaderOptions.DEFAULT_MAX_RECORD_BYTES;
        /** Whether CSV and TSV inputs start with a header row. */
        public boolean header = true;
        /** Whether CSV and TSV rows may have fewer or more fields than the header. */
        public boolean raggedRows;
        /** Function parameter to the column it reads, where that is not its own name. */
        public Map<String, String> mapping = Map.of();
        /** The column that keys output lines, or {@code null} for sequence numbers. */
        public String idColumn;
        /** The most records read, or {@code null} for all. */
        public Long limit;
        /** Input columns copied into each output line beside the outputs, in order. */
        public List<String> keep = List.of();

        private Builder() {}

        /** @throws SettingException for a setting that cannot be used as given */
        public InputSpec build() {
            if (limit != null) {
                SettingException.inRange("limit", limit, 1, Long.MAX_VALUE);
            }
            List<Input> inputs = new ArrayList<>();
            if (!handedOver) {
                for (String name : files.isEmpty() ? List.of("-") : files) {
                    inputs.add(Input.of(name));
                }
            }
            if (inputs.stream().filter(Input::isStdin).count() > 1) {
                throw new SettingException("inputs", Phrase.text("standard input ('-') can be given only once"));
            }
            for (Map.Entry<String, String> m : mapping.entrySet()) {
                if (m.getValue().isBlank()) {
                    throw new SettingException("input", Phrase.of("{input} %s: write PARAM=COLUMN, the input's name, then the column: "
                            + "for a model's text, {input} text=%s", m.getKey(), m.getKey()));
                }
            }
            if (maxRecordBytes < 1 || maxRecordBytes > MAX_RECORD_BYTES) {
                throw new SettingException("max-record-size",
                        Phrase.of("{max-record-size}: must be from 1 byte to 2 GiB"));
            }
            return new InputSpec(inputs, format, new ReaderOptions((int) maxRecordBytes, header, raggedRows), mapping,
                    idColumn, limit == null ? 0 : limit, keep);
        }
    }
}
