package dev.batchwise.options;

import dev.batchwise.pipeline.OnError;
import dev.batchwise.run.RunSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What failed records, a stop and an earlier unfinished run do to a run: {@code run} alone. */
public final class FailureOptions implements SpecOptions {

    @Option(names = "--on-error", paramLabel = "WHAT", defaultValue = "continue",
            completionCandidates = Candidates.OnErrors.class,
            description = """
                    continue (default): a failed record gets an "error" in the output and the run goes on. stop: the \
                    first failed record stops the reading; what was read before it is run and written. Either way \
                    the exit code is 1.""")
    @Refused(bench = "bench runs every point to its end and counts its failed records; a point with failed records "
            + "is never chosen", spark = "the job runs every record and writes each failed one with its error")
    String onError;

    @Option(names = "--errors", paramLabel = "FILE",
            description = """
                    Also write each failed record here, as JSON Lines: the record as read, and its error under \
                    "_error". Run the same command on FILE to redo just those records.""")
    @Refused(bench = "bench counts each point's failed records (the failed column) and keeps none: run the setting "
            + "with batchwise run --errors FILE to see them", spark = "the job writes each failed record in the "
            + "output with its error: select the rows whose error is set")
    Path errors;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s",
            description = """
                    On Ctrl-C or SIGTERM, how long running batches may take to finish; a second signal stops at \
                    once. Default: ${DEFAULT-VALUE}.""")
    @Refused(bench = "it is the time run gives batches after Ctrl-C; bench ends each point itself, and a point whose "
            + "calls have not returned within its time is reported as timed out",
            spark = "Spark stops the job's tasks itself")
    String grace;

    @Option(names = "--resume",
            description = """
                    With -o FILE: continue the FILE.partial that an interrupted run of the same command on the same \
                    inputs left, instead of starting over. The records already in it are not run again.""")
    @Refused(bench = "a sweep cannot be resumed: run it again", spark = "Spark runs a failed task again itself; run a "
            + "failed job again whole")
    boolean resume;

    @Override
    public void applyTo(RunSpec.Builder spec) {
        spec.failures.onError = Values.choice("on-error", onError, OnError.class, "");
        spec.failures.grace = Values.duration("grace", grace);
        spec.output.errors = errors;
        spec.output.resume = resume;
    }
}
