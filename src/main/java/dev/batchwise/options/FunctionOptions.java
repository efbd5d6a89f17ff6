package dev.batchwise.options;

import dev.batchwise.run.RunSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** A batch function to run instead of a model: taken by {@code run}, {@code bench} and the Spark job. */
public final class FunctionOptions implements SpecOptions {

    @Option(names = "--fn", paramLabel = "NAME", completionCandidates = Candidates.Functions.class,
            description = """
                    Run a batch function instead of a model: trim-words, echo, or one from a --plugin jar \
                    ('batchwise models' lists them).""")
    String name;

    @Option(names = "--fn-arg", paramLabel = "KEY=VALUE",
            description = """
                    A setting of the function, e.g. delay=5s (a simulated cost per call) or per-item=2ms.""")
    Map<String, String> args = new LinkedHashMap<>();

    @Override
    public void applyTo(RunSpec.Builder spec) {
        spec.function.name = name;
        spec.function.args = args;
    }

    /** Jars with more functions: {@code run} and {@code bench}. */
    public static final class Plugins implements SpecOptions {
        @Option(names = "--plugin", paramLabel = "JAR",
                description = """
                        A jar with more functions (registered as dev.batchwise.fn.BatchFunctionProvider services).""")
        @Refused(spark = "give the jar to spark-submit with --jars: its functions are then on the class path of "
                + "every executor")
        List<Path> plugins = new ArrayList<>();

        @Override
        public void applyTo(RunSpec.Builder spec) {
            spec.function.plugins = plugins.stream().map(Path::toString).toList();
        }
    }
}
