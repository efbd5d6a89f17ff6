package dev.batchwise.testing;

import dev.batchwise.cli.BatchwiseCommand;
import dev.batchwise.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process through picocli's {@code execute}, with captured streams. */
public final class Cli {

    /** What a run printed and returned. */
    public record Run(int exitCode, String out, String err) {
        public List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    public static Run run(String... args) {
        return runWithStdin("", args);
    }

    public static Run runWithStdin(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Io.Signals.NONE, args);
    }

    public static Run run(java.io.InputStream stdin, Io.Signals signals, String... args) {
        return run(stdin, signals, Map.of(), false, args);
    }

    /** A run whose standard error is (or is not) a terminal, with these environment variables. */
    public static Run run(java.io.InputStream stdin, Io.Signals signals, Map<String, String> env,
            boolean stderrIsTerminal, String... args) {
        return run(stdin, signals, env, stderrIsTerminal, dev.batchwise.time.Clock.SYSTEM, args);
    }

    /** As {@link #run(java.io.InputStream, Io.Signals, Map, boolean, String...)}, on {@code clock}. */
    public static Run run(java.io.InputStream stdin, Io.Signals signals, Map<String, String> env,
            boolean stderrIsTerminal, dev.batchwise.time.Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        StringWriter help = new StringWriter();
        Io io = new Io(stdin, out, env, stderrIsTerminal, signals, false, false, clock);
        CommandLine cl = BatchwiseCommand.commandLine(io);
        cl.setOut(new PrintWriter(help, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8) + help, err.toString());
    }
}
