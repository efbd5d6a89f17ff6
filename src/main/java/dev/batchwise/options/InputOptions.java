package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import dev.batchwise.source.InputFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What a run reads and how its records bind to the function's inputs: taken by {@code run},
 * {@code bench} and the Spark job. The readers' own limits ({@link Reading}) and a limit on the
 * records read ({@link Limit}) are groups of their own, which not every front end takes.
 */
public final class InputOptions implements SpecOptions {

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = """
                    Input format: ${COMPLETION-CANDIDATES}. Default: from the file extension; for standard input and \
                    other names, jsonl if the first character is '{', else text; JSON Lines whose first record is \
                    an OpenAI batch request (custom_id, method, url, body) is read as openai-batch.""")
    InputFormat format;

    @Option(names = {"-i", "--input"}, paramLabel = "PARAM=COLUMN", mapFallbackValue = "",
            description = """
                    Read the function's input PARAM from COLUMN (a CSV/TSV column or JSON field). By default a \
                    parameter reads the column of its own name; text input has one field, 'text'.""")
    Map<String, String> mapping = new LinkedHashMap<>();

    @Option(names = "--id", paramLabel = "COLUMN", descriptionKey = "id",
            description = """
                    Key each output line by this column's value instead of the record's sequence number.""")
    String idColumn;

    @Option(names = "--no-header", negatable = false,
            description = """
                    CSV/TSV inputs have no header row; columns are named by position: 1, 2, ...""")
    boolean noHeader;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        spec.input.header = !noHeader;
        spec.input.format = format;
        spec.input.mapping = mapping;
        spec.input.idColumn = idColumn;
    }

    /** How a reader takes rows and records: {@code run} and {@code bench}. */
    @Refused(spark = "Spark's own readers read the job's input: a row with too few or too many fields, or a record "
            + "it cannot parse, fails as bad input, whatever its size")
    public static final class Reading implements SpecOptions {
        @Option(names = "--ragged-rows",
                description = """
                        Accept CSV/TSV rows with fewer or more fields than the header (missing fields are absent, \
                        extra ones ignored). Without it such a row is a failed record.""")
        boolean raggedRows;

        @Option(names = "--max-record-size", paramLabel = "SIZE", defaultValue = "1MiB",
                description = """
                        The longest line or record accepted; a longer one is a failed record. Default: \
                        ${DEFAULT-VALUE}.""")
        String maxRecordSize;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.input.raggedRows = raggedRows;
            spec.input.maxRecordBytes = Values.size("max-record-size", maxRecordSize);
        }
    }

    /** The first N records only: {@code run} alone. */
    public static final class Limit implements SpecOptions {
        @Option(names = "--limit", paramLabel = "N",
                description = """
                        Read only the first N records of the inputs (counted over all of them, in order), for a \
                        smoke run; N from 1 up. Failed records count. Default: all.""")
        @Refused(bench = "bench cycles its inputs for as long as each point runs: give the records to cycle as the "
                + "FILEs", spark = "the job runs every record of its input: select the records with Spark first, "
                + "then run BatchTransform on them")
        Long limit;

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.input.limit = limit;
        }
    }
}
