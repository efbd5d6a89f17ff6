package dev.batchwise.options;

import dev.batchwise.output.OutputSpec;
import dev.batchwise.run.RunSpec;
import dev.batchwise.sink.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Where output lines go and what they hold: {@code run} alone. */
public final class OutputOptions implements SpecOptions {

    private static final String NO_OUTPUT_LINES = "bench writes no output lines (each point's are discarded): "
            + "its results are --csv, --json and --report";

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = """
                    Write output lines here (under FILE.partial until the run completes). Default: standard output.""")
    @Refused(bench = NO_OUTPUT_LINES, spark = "the job writes a directory of part files: its -o is that directory, "
            + "which must not exist")
    Path file;

    @Option(names = "--output-format", paramLabel = "FORMAT",
            description = """
                    ${COMPLETION-CANDIDATES}. Default: from the -o extension (.jsonl, .ndjson, .json, .csv, \
                    .parquet, .npy; a name without one: jsonl; another extension is refused), else jsonl. parquet \
                    and npy (the vectors, with the ids in NAME.ids.jsonl) need -o FILE.""")
    @Refused(bench = NO_OUTPUT_LINES, spark = "the job writes JSON Lines or Parquet part files: its --output-format "
            + "is jsonl or parquet")
    OutputFormat format;

    @Option(names = "--keep", paramLabel = "COLUMN", split = ",",
            description = """
                    Copy these input columns (or JSON fields) into each output line, after the id and before the \
                    outputs, e.g. --keep text to have the text beside its embedding. Failed records keep them too; a \
                    record without the column gets null (CSV: empty). A column the header lacks, or one named like a \
                    field the line has (id, error, timing, an output), is refused.""")
    @Refused(bench = NO_OUTPUT_LINES, spark = "the job keeps every input column beside the outputs, or only the --id "
            + "column")
    List<String> keep = new ArrayList<>();

    @Option(names = "--with-timing",
            description = """
                    Add queue_ms, compute_ms, latency_ms and batch_size to each output line.""")
    @Refused(bench = NO_OUTPUT_LINES + " (each point's timings are in them)",
            spark = "the job's rows carry no timing; its stats hold the times")
    boolean withTiming;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        OutputSpec.Builder output = spec.output;
        output.file = file;
        output.format = format;
        output.withTiming = withTiming;
        spec.input.keep = keep;
    }
}
