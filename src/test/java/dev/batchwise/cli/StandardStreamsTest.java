package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard streams and the environment as the launcher hands them over: a closed stream, a
 * failed standard output, a locale that is not UTF-8, java options that java refuses. Each runs the
 * launchers' shared java command line (src/dist/lib/launch.bash) in a shell, as a user's shell would.
 */
class StandardStreamsTest {

    @TempDir
    Path dir;

    private record Ran(int exitCode, String out, String err) {}

    /** Runs {@code batchwise_launch ARGS} in bash, with the shell redirections given after it. */
    private Ran launch(String argsAndRedirections, Map<String, String> env, String... unset) throws Exception {
        Path launch = Path.of("src/dist/lib/launch.bash").toAbsolutePath();
        String script = "source \"$LAUNCH\"; java_cmd=\"$JAVA\"; class_path=\"$CP\"; cds_dir=; warm_up_file=; "
                + "batchwise_launch " + argsAndRedirections;
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
        for (String name : unset) {
            b.environment().remove(name);
        }
        b.environment().put("LAUNCH", launch.toString());
        b.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        b.environment().put("CP", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        b.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launch ended");
        return new Ran(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Ran launch(String argsAndRedirections) throws Exception {
        return launch(argsAndRedirections, Map.of());
    }

    @Test
    void aClosedStandardInputIsOneLineAndExit3NeverTheJvmsOwnFiles() throws Exception {
        Ran ran = launch("run --fn echo -q <&-");
        assertEquals(ExitCodes.INPUT, ran.exitCode(), ran::toString);
        assertEquals("", ran.out());
        assertEquals("batchwise: cannot read <stdin>: standard input is closed; give an input FILE, or pipe the "
                + "records in\n", ran.err());
    }

    @Test
    void aClosedStandardInputIsNoMatterWhenTheInputsAreFiles() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Ran ran = launch("run --fn echo -q in.txt <&-");
        assertEquals(0, ran.exitCode(), ran::toString);
        assertEquals("{\"id\":1,\"text\":\"a\"}\n{\"id\":2,\"text\":\"b\"}\n", ran.out());
    }

    @Test
    void aClosedStandardOutputIsOneLineAndExit4ForARunAndForModels() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "a\nb\n");
        Ran run = launch("run --fn echo -q in.txt >&-");
        assertEquals(ExitCodes.OUTPUT, run.exitCode(), run::toString);
        assertTrue(run.err().contains("standard output is closed; write to a file with -o FILE"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        Ran models = launch("models >&-");
        assertEquals(ExitCodes.OUTPUT, models.exitCode(), models::toString);
        assertEquals("batchwise: cannot write to standard output: standard output is closed; write to a file with "
                + "-o FILE\n", models.err());
        Ran toFile = launch("run --fn echo -q -o out.jsonl in.txt >&-");
        assertEquals(0, toFile.exitCode(), toFile::toString);
        assertEquals(2, Files.readAllLines(dir.resolve("out.jsonl")).size());
    }

    @Test
    void everyCommandNoticesThatItsStandardOutputFailed() throws Exception {
        for (String command : new String[] {"models --json", "models", "--help", "run --help", "bench --help",
            "--version", "completion"}) {
            Ran ran = launch(command + " > /dev/full");
            assertEquals(ExitCodes.OUTPUT, ran.exitCode(), () -> command + ": " + ran);
            assertEquals("batchwise: cannot write to standard output: No space left on device\n", ran.err(),
                    command);
        }
    }

    @Test
    void aFileNameThatIsNotAsciiOpensWithoutALocale() throws Exception {
        Files.writeString(dir.resolve("données.txt"), "été\n");
        Ran ran = launch("run --fn echo -q données.txt", Map.of(), "LANG", "LC_ALL", "LC_CTYPE");
        assertEquals(0, ran.exitCode(), ran::toString);
        assertEquals("{\"id\":1,\"text\":\"été\"}\n", ran.out());
        Ran c = launch("run --fn echo -q données.txt", Map.of("LC_ALL", "C"));
        assertEquals(0, c.exitCode(), c::toString);
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedBeforeAnythingIsWrittenUnderAnotherName() throws Exception {
        Files.writeString(dir.resolve("in.txt"), "a\n");
        Ran ran = launch("run --fn echo -q -o $'out\\xe9.jsonl' in.txt");
        assertEquals(ExitCodes.USAGE, ran.exitCode(), ran::toString);
        assertEquals("batchwise: the argument 'out\uFFFD.jsonl' is not valid UTF-8; Java cannot use such a name byte "
                + "for byte, so nothing was run: rename the file (e.g. with convmv) or give a link to it whose name is "
                + "UTF-8\n", ran.err());
        try (var files = Files.list(dir)) {
            assertEquals(java.util.List.of("in.txt", "stderr.txt", "stdout.txt"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void javaOptionsJavaRefusesAreAUsageErrorNamingThem() throws Exception {
        Ran ran = launch("models", Map.of("BATCHWISE_JAVA_OPTS", "-Xmx2q"));
        assertEquals(ExitCodes.USAGE, ran.exitCode(), ran::toString);
        assertEquals("", ran.out());
        assertTrue(ran.err().startsWith("batchwise: BATCHWISE_JAVA_OPTS has an option java refuses: Invalid maximum "
                + "heap size: -Xmx2q"), ran::toString);
        assertEquals(1, ran.err().lines().count(), ran::toString);
        Ran unknown = launch("models", Map.of("BATCHWISE_JAVA_OPTS", "-XX:+NoSuchOption"));
        assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("NoSuchOption"), unknown::toString);
    }
}
