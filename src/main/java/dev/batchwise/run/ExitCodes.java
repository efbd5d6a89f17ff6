package dev.batchwise.run;

import dev.batchwise.model.ModelLoadException;
import dev.batchwise.output.OutputException;
import dev.batchwise.pipeline.FunctionStartException;
import dev.batchwise.pipeline.ResumeException;
import dev.batchwise.source.InputException;
import dev.batchwise.util.SettingException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of batchwise, as docs/command-line.md and {@code --help} document them, and the one mapping from
 * a failure to its code ({@link #of}), which every front end uses.
 */
public final class ExitCodes {
    /** Every record succeeded. */
    public static final int OK = 0;
    /** The run finished, but some records failed; each has an {@code error} in the output. */
    public static final int RECORDS_FAILED = 1;
    /** The command line is wrong: an unknown option, a bad value, a column the input lacks. */
    public static final int USAGE = 2;
    /** An input cannot be read: missing, a directory, not readable, an I/O error, a broken header. */
    public static final int INPUT = 3;
    /** The output cannot be written. */
    public static final int OUTPUT = 4;
    /** The function or model cannot be loaded or started. */
    public static final int FUNCTION = 5;
    /** The output does not have the number of records {@code --expect-records} asked for. */
    public static final int UNEXPECTED_COUNT = 6;
    /** {@code bench --compare --fail-if-slower}: B lost more throughput than allowed. */
    public static final int SLOWER = 7;
    /** {@code bench --slo}: no point meets the SLO. */
    public static final int NO_SETTING_MEETS_SLO = 8;
    /**
     * {@code bench}: a point timed out (a call of the function did not return in the point's time), so
     * the sweep stopped there; its outputs hold the points measured before it.
     */
    public static final int POINT_TIMED_OUT = 9;
    /**
     * {@code bench}: a setting is recommended, but not confirmed: its throughput's confidence interval
     * stayed wider than bench's tolerance (a busy machine), or no stable point qualified.
     */
    public static final int UNCONFIRMED = 10;
    /** A bug in batchwise; the message says how to see the details. */
    public static final int SOFTWARE = 70;
    /** Stopped by Ctrl-C (SIGINT), 128 + 2. */
    public static final int INTERRUPTED = 130;
    /** Stopped by SIGTERM, 128 + 15. */
    public static final int TERMINATED = 143;
    /**
     * Standard output was closed by its reader (as {@code | head} does): the run stopped quietly, with
     * the code of a process ended by SIGPIPE, 128 + 13.
     */
    public static final int OUTPUT_CLOSED = 141;

    /**
     * The tables for {@code --help} and the man pages (picocli's exit code list), exit code to what
     * it means, in order: each command lists only the codes it can return.
     */
    public static final Map<String, String> RUN = table(
            "0", "every record succeeded",
            "1", "some records failed (each has an \"error\" in the output)",
            "2", "usage error: bad option or value, a column the input lacks, output paths that name an "
                    + "input or each other, an argument that is not UTF-8, or a BATCHWISE_JAVA_OPTS java refuses",
            "3", "an input cannot be read (missing, a directory, unreadable, broken header, standard input closed)",
            "4", "the output cannot be written (standard output closed or failed too), or another run is writing "
                    + "the same -o",
            "5", "the function or model cannot be loaded",
            "6", "the output does not have the records --expect-records N asked for",
            "70", "internal error (run with --verbose and report it)",
            "130", "stopped by Ctrl-C; 143 stopped by SIGTERM",
            "141", "standard output closed by its reader (e.g. | head); no message");

    /** {@code batchwise bench}: a sweep, or {@code --compare}. */
    public static final Map<String, String> BENCH = table(
            "0", "the sweep ran (and with --slo, a stable point meets it), or --compare found nothing slower",
            "1", "records failed in a point",
            "2", "usage error: bad option or value, or a column the input lacks",
            "3", "an input cannot be read",
            "4", "--csv, --json or --report cannot be written, or standard output failed",
            "5", "the function or model cannot be loaded",
            "7", "--compare: a point is slower than --fail-if-slower allows",
            "8", "no point meets --slo",
            "9", "a point timed out (a call of the function did not return): the sweep stopped there, its "
                    + "outputs hold the points before it",
            "10", "a setting is recommended but not confirmed: its throughput interval stayed too wide (a busy "
                    + "machine), or no stable point qualified; the recommendation says how sure it is",
            "70", "internal error (run with --verbose and report it)",
            "130", "stopped by Ctrl-C");

    /** {@code batchwise models}: it loads plugin jars, so 5 when one cannot be loaded. */
    public static final Map<String, String> MODELS = table(
            "0", "listed",
            "2", "usage error: bad option or value",
            "4", "standard output cannot be written (a full disk, a closed stream)",
            "5", "a --plugin jar cannot be loaded",
            "70", "internal error (run with --verbose and report it)",
            "141", "standard output closed by its reader (e.g. | head); no message");

    /** Commands that only print: {@code completion}, and {@code batchwise} itself (--help, --version). */
    public static final Map<String, String> PRINT_ONLY = table(
            "0", "printed",
            "2", "usage error: an unknown command or option",
            "4", "standard output cannot be written (a full disk, a closed stream)",
            "70", "internal error (report it)",
            "141", "standard output closed by its reader (e.g. | head); no message");

    /**
     * The exit code of a command that ended with {@code failure}: a setting that cannot be used, or an
     * output that cannot be resumed (2), an
     * input that cannot be read (3), an output that cannot be written (4), a function that cannot be
     * loaded (5); anything else is a bug (70). A {@link RunException} has its cause's code. The one
     * place that maps failures to codes: the command line's and the Spark job's exception mapper, and
     * {@link RunException#exitCode()}, ask it.
     */
    public static int of(Throwable failure) {
        if (failure instanceof RunException r) {
            return r.getCause() == null ? SOFTWARE : of(r.getCause());
        }
        if (failure instanceof SettingException || failure instanceof ResumeException) {
            return USAGE;
        }
        if (failure instanceof InputException) {
            return INPUT;
        }
        if (failure instanceof OutputException) {
            return OUTPUT;
        }
        if (failure instanceof FunctionStartException || failure instanceof ModelLoadException) {
            return FUNCTION;
        }
        return SOFTWARE;
    }

    /** The table of a command, by name. */
    public static Map<String, String> of(String command) {
        return switch (command) {
            case "run" -> RUN;
            case "bench" -> BENCH;
            case "models" -> MODELS;
            default -> PRINT_ONLY;
        };
    }

    private static Map<String, String> table(String... codeThenMeaning) {
        Map<String, String> table = new LinkedHashMap<>();
        for (int i = 0; i < codeThenMeaning.length; i += 2) {
            table.put(codeThenMeaning[i], codeThenMeaning[i + 1]);
        }
        return Collections.unmodifiableMap(table);
    }

    private ExitCodes() {}
}
