package dev.batchwise.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.CommandModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of {@code run}, read from picocli's model of it: {@code bench} and the Spark job each
 * take it through the shared declaration (the very field run declares it in), or say why not beside
 * that declaration, and refuse it with that reason, in one line, when it is typed; or, where they
 * declare an option of the same name with another meaning, say why. None is dropped silently, and
 * none carries a reason where the front end takes it.
 */
class FrontEndOptionsTest {

    @TempDir
    Path dir;

    /** A front end: its command's model, and how it answers a command line. */
    private record FrontEnd(Refusals.FrontEnd which, CommandSpec command, Function<String[], Cli.Run> run) {}

    private static CommandSpec run() {
        return CommandModel.commandLine().getSubcommands().get("run").getCommandSpec();
    }

    private static FrontEnd bench() {
        return new FrontEnd(Refusals.FrontEnd.BENCH,
                CommandModel.commandLine().getSubcommands().get("bench").getCommandSpec(), args -> {
                    List<String> all = new ArrayList<>(List.of("bench"));
                    all.addAll(List.of(args));
                    return Cli.run(all.toArray(String[]::new));
                });
    }

    /**
     * The Spark job's command line, {@code dev.batchwise.spark.Main.commandLine}, found by name: the
     * job builds in the Maven profile that the tests turn on, so this test compiles without it.
     */
    private static CommandLine sparkCommandLine(PrintWriter err) {
        Supplier<Object> noSession = () -> {
            throw new AssertionError("a refused option ends the job before it asks for a Spark session");
        };
        try {
            return (CommandLine) Class.forName("dev.batchwise.spark.Main")
                    .getMethod("commandLine", Supplier.class, PrintWriter.class).invoke(null, noSession, err);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the Spark job's command line (the tests build it, in the profile 'spark')", e);
        }
    }

    private static FrontEnd spark() {
        return new FrontEnd(Refusals.FrontEnd.SPARK, sparkCommandLine(new PrintWriter(new StringWriter()))
                .getSubcommands().get("run").getCommandSpec(), args -> {
            StringWriter err = new StringWriter();
            List<String> all = new ArrayList<>(List.of("run"));
            all.addAll(List.of(args));
            CommandLine cl = sparkCommandLine(new PrintWriter(err, true));
            int code = cl.execute(all.toArray(String[]::new));
            return new Cli.Run(code, "", err.toString());
        });
    }

    @Test
    void benchTakesEachRunOptionThroughItsDeclarationOrSaysWhyNot() throws Exception {
        check(bench(), List.of("--fn", "echo"));
    }

    @Test
    void theSparkJobTakesEachRunOptionThroughItsDeclarationOrSaysWhyNot() throws Exception {
        check(spark(), List.of("--fn", "echo", "-o", dir.resolve("out").toString()));
    }

    private void check(FrontEnd front, List<String> required) throws Exception {
        String in = Files.writeString(dir.resolve("words.txt"), "alpha\nbeta\n").toString();
        int taken = 0;
        int refused = 0;
        for (OptionSpec o : run().options()) {
            if (o.longestName().equals("--help") || o.longestName().equals("--version")) {
                continue;
            }
            String why = Refusals.reason(o, front.which());
            OptionSpec theirs = front.command().findOption(o.longestName());
            if (theirs != null && theirs.userObject().equals(o.userObject())) {
                assertEquals("", why, o.longestName() + " is taken through its declaration, yet carries a reason");
                taken++;
                continue;
            }
            assertFalse(why.isEmpty(), front.which() + " neither takes " + o.longestName()
                    + " through its declaration nor says why beside it");
            if (theirs != null) {
                continue; // an option of its own by that name, with another meaning, which the reason explains
            }
            refused++;
            for (String name : o.names()) {
                List<String> args = new ArrayList<>(required);
                args.add(name);
                if (o.arity().max > 0) {
                    args.add("1");
                }
                args.add(in);
                Cli.Run result = front.run().apply(args.toArray(String[]::new));
                assertEquals(ExitCodes.USAGE, result.exitCode(), result.toString());
                String first = result.err().lines().findFirst().orElse("");
                assertTrue(first.contains(name) && first.contains(why),
                        "one line says why " + front.which().label() + " refuses " + name + ": " + result.err());
                assertFalse(result.err().contains("unknown option") || result.err().contains("\tat "),
                        result.toString());
            }
        }
        assertTrue(taken > 10 && refused > 0, taken + " taken, " + refused + " refused");
    }
}
