package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Forked;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that misbehaves in each way a plugin can: it exits the JVM, hands back no factory, never
 * returns from close() or from create(). Each gets one clear line and an exit code that says so; the
 * first SIGTERM always ends the run. In a JVM of its own where the JVM could end.
 */
class MisbehavingPluginTest {

    private static final String SOURCE = """
            package example;

            import dev.batchwise.fn.*;
            import java.util.*;
            import java.util.concurrent.CountDownLatch;

            public final class Rogue implements BatchFunctionProvider {
                public String name() { return "rogue"; }
                public String description() { return "misbehaves as --fn-arg mode says"; }
                public BatchFunctionFactory configure(FnArgs args) {
                    String mode = args.string("mode", "none");
                    if (mode.equals("no-factory")) {
                        return null;
                    }
                    if (mode.equals("configure-error")) {
                        throw new NoClassDefFoundError("some/Missing");
                    }
                    Signature sig = new Signature(List.of(new Param("text", ParamType.TEXT, "")), List.of("out"));
                    return BatchFunctionFactory.of("rogue", sig, () -> {
                        if (mode.equals("create-hangs")) {
                            System.err.println("creating");
                            new CountDownLatch(1).await();
                        }
                        if (mode.equals("create-null")) {
                            return null;
                        }
                        return new BatchFunction() {
                            public List<? extends List<?>> apply(List<List<Object>> inputs) {
                                if (mode.equals("exit") && inputs.get(0).contains("EXIT")) {
                                    System.exit(3);
                                }
                                if (mode.equals("exit") && inputs.get(0).contains("FAIL")) {
                                    throw new IllegalStateException("a failed record");
                                }
                                return List.of(inputs.get(0));
                            }

                            public void close() throws Exception {
                                if (mode.equals("close-hangs")) {
                                    System.err.println("closing");
                                    new CountDownLatch(1).await();
                                }
                            }
                        };
                    });
                }
            }
            """;

    @TempDir
    static Path dir;

    static Path jar;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void buildPluginJar() throws Exception {
        Path src = dir.resolve("src/example/Rogue.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertEquals(0, rc, "javac");
        jar = dir.resolve("rogue.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.list(classes.resolve("example"))) {
                for (Path c : files.toList()) {
                    out.putNextEntry(new JarEntry("example/" + c.getFileName()));
                    Files.copy(c, out);
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry(Plugins.SERVICE));
            out.write("example.Rogue\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    @AfterEach
    void endProcesses() {
        started.forEach(Process::destroyForcibly);
    }

    private Process start(Path err, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--plugin", jar.toString(), "--fn", "rogue"));
        all.addAll(List.of(args));
        Process p = Forked.batchwise(List.of(), all.toArray(String[]::new)).redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    private static int exitCode(Process p) throws InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the process did not end");
        }
        return p.exitValue();
    }

    /**
     * Blocks until the process writes {@code line} on its standard error (read through a pipe); returns
     * the reader, which goes on reading the rest.
     */
    private static BufferedReader awaitLine(Process p, String line) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String l;
        while ((l = err.readLine()) != null && !l.equals(line)) {
            // earlier lines
        }
        assertEquals(line, l, "the process ended first");
        return err;
    }

    private Process startPiped(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--plugin", jar.toString(), "--fn", "rogue"));
        all.addAll(List.of(args));
        Process p = Forked.batchwise(List.of(), all.toArray(String[]::new)).start();
        started.add(p);
        return p;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void systemExitFromAPluginIsReportedWithThePluginFailureCode() throws Exception {
        Path in = dir.resolve("exit-in.txt");
        Files.writeString(in, "a\nEXIT\nb\n");
        Path out = dir.resolve("exit-out.jsonl");
        Path err = dir.resolve("exit-err.txt");
        Process p = start(err, "--fn-arg", "mode=exit", "-o", out.toString(), in.toString());
        p.getOutputStream().close();
        assertEquals(ExitCodes.FUNCTION, exitCode(p), () -> read(err));
        String text = read(err);
        assertTrue(text.contains("batchwise: a plugin called System.exit: example.Rogue$1.apply, from plugin " + jar
                + "; a function must throw instead, and the run was abandoned (exit code 5)"), text);
        assertFalse(Files.exists(out), "an unfinished output is not passed off as finished");
    }

    /**
     * The records written before a plugin's System.exit are in the partial output and the errors file,
     * flushed by the exit, so that a resumed run continues after them instead of running them again.
     */
    @Test
    void recordsWrittenBeforeAPluginsSystemExitAreKeptForAResume() throws Exception {
        StringBuilder records = new StringBuilder();
        for (int i = 1; i <= 500; i++) {
            records.append(i == 400 ? "EXIT" : i % 100 == 7 ? "FAIL" : "r" + i).append('\n');
        }
        Path in = Files.writeString(dir.resolve("kept-in.txt"), records);
        Path out = dir.resolve("kept-out.jsonl");
        Path errors = dir.resolve("kept-errors.jsonl");
        Path partial = dir.resolve("kept-out.jsonl.partial");
        String[] args = {"--fn-arg", "mode=exit", "-b", "1", "-w", "1", "--errors", errors.toString(), "-o",
                out.toString(), in.toString()};
        Path err = dir.resolve("kept-err.txt");
        Process p = start(err, args);
        p.getOutputStream().close();
        assertEquals(ExitCodes.FUNCTION, exitCode(p), () -> read(err));
        List<String> lines = Files.readAllLines(partial);
        assertEquals(399, lines.size(), () -> read(err));
        for (int i = 1; i <= 399; i++) {
            assertTrue(lines.get(i - 1).startsWith("{\"id\":" + i + ","), lines.get(i - 1));
        }
        assertEquals(4, Files.readAllLines(errors).size(), "records 7, 107, 207 and 307 failed");
        assertTrue(read(err).contains("batchwise: the records written before it are kept in " + partial
                + "; run the same command with --resume to continue"), () -> read(err));

        Path again = dir.resolve("kept-again.txt");
        String[] resume = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--resume")).toArray(String[]::new);
        Process r = start(again, resume);
        r.getOutputStream().close();
        assertEquals(ExitCodes.FUNCTION, exitCode(r), () -> read(again)); // record 400 exits again
        assertTrue(read(again).contains("resuming " + partial + ": 399 records are done; running from record 400"),
                () -> read(again));
        assertEquals(399, Files.readAllLines(partial).size());
        assertEquals(4, Files.readAllLines(errors).size());
    }

    @Test
    void aCloseThatNeverReturnsIsAbandonedAfterTheGracePeriodAndTheOutputCommitted() throws Exception {
        Path out = dir.resolve("close-out.jsonl");
        Path err = dir.resolve("close-err.txt");
        Process p = start(err, "--fn-arg", "mode=close-hangs", "--grace", "300ms", "-o", out.toString(), "-");
        p.getOutputStream().write("a\nb\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertEquals(ExitCodes.FUNCTION, exitCode(p), () -> read(err));
        assertEquals(List.of("{\"id\":1,\"out\":\"a\"}", "{\"id\":2,\"out\":\"b\"}"), Files.readAllLines(out));
        assertTrue(read(err).contains("batchwise: function 'rogue' did not return from close() within 300ms (--grace); "
                + "it was abandoned; the output is complete in " + out), () -> read(err));
    }

    @Test
    void theFirstSigtermEndsARunWhoseCloseHangs() throws Exception {
        Path out = dir.resolve("term-out.jsonl");
        Process p = startPiped("--fn-arg", "mode=close-hangs", "--grace", "1h", "-o", out.toString(), "-");
        p.getOutputStream().write("a\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        BufferedReader err = awaitLine(p, "closing");
        p.toHandle().destroy(); // SIGTERM
        String rest = err.lines().collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(ExitCodes.TERMINATED, exitCode(p), rest);
        assertTrue(rest.contains("it was abandoned; the output is complete in " + out), rest);
        assertEquals(List.of("{\"id\":1,\"out\":\"a\"}"), Files.readAllLines(out), "every record was done: committed");
    }

    @Test
    void theFirstSigtermEndsARunWhoseFunctionNeverStarts() throws Exception {
        Path in = dir.resolve("create-in.txt");
        Files.writeString(in, "a\n");
        Process p = startPiped("--fn-arg", "mode=create-hangs", in.toString());
        BufferedReader err = awaitLine(p, "creating");
        p.toHandle().destroy();
        String rest = err.lines().collect(java.util.stream.Collectors.joining("\n"));
        assertEquals(ExitCodes.TERMINATED, exitCode(p), rest);
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals(null, stdout.readLine());
        }
    }

    @Test
    void aFactoryThatIsNotThereGetsOneLine() {
        for (String mode : List.of("no-factory", "configure-error", "create-null")) {
            Cli.Run run = Cli.runWithStdin("a\n", "run", "--plugin", jar.toString(), "--fn", "rogue", "--fn-arg",
                    "mode=" + mode);
            assertEquals(ExitCodes.FUNCTION, run.exitCode(), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
            assertTrue(run.err().startsWith("batchwise: function 'rogue' "), run::toString);
            assertTrue(mode.equals("create-null") || run.err().contains("in plugin " + jar), run::toString);
        }
    }

    @Test
    void aPluginThatIsNotAJarGetsOneLine() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a jar\n");
        Cli.Run run = Cli.runWithStdin("a\n", "run", "--plugin", notes.toString(), "--fn", "rogue");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("batchwise: --plugin " + notes + ": not a jar file"), run::toString);

        Path empty = dir.resolve("empty.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new JarEntry("README"));
            out.closeEntry();
        }
        run = Cli.runWithStdin("a\n", "run", "--plugin", empty.toString(), "--fn", "rogue");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--plugin " + empty + ": provides no function"), run::toString);
    }
}
