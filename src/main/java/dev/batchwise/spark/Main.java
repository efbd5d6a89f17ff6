package dev.batchwise.spark;

import dev.batchwise.options.CommandErrors;
import dev.batchwise.options.OptionSections;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The spark-submit entry: {@code spark-submit --class dev.batchwise.spark.Main JOB_JAR run ...}. The
 * only place that calls {@link System#exit}; the session comes from spark-submit's settings.
 */
@Command(name = "batchwise-spark", mixinStandardHelpOptions = true, subcommands = RunJob.class,
        description = "The batchwise functions and models as a Spark job. See 'run --help'.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main() {}

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run");
    }

    public static void main(String[] args) {
        int code;
        try {
            code = execute(() -> SparkSession.builder().appName("batchwise").getOrCreate(), new PrintWriter(System.err, true),
                    args);
        } finally {
            SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
            if (active != null) {
                active.stop();
            }
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Runs the command line {@code args} against the session {@code spark} supplies (asked for only
     * when a job runs), printing messages and stats to {@code err}; returns the exit code. The
     * session is left running.
     */
    public static int execute(java.util.function.Supplier<SparkSession> spark, PrintWriter err, String... args) {
        return commandLine(spark, err).execute(args);
    }

    /** The job's command line, configured as {@link #execute} runs it: its options, its failures' handling. */
    public static CommandLine commandLine(java.util.function.Supplier<SparkSession> spark, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == RunJob.class) {
                    return cls.cast(new RunJob(spark));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        OptionSections.installAll(cl);
        cl.setErr(err);
        cl.setOut(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandErrors.install(cl, UnaryOperator.identity());
        return cl;
    }
}
