package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers' java command line (src/dist/lib/launch.bash), as both launchers run it. */
class LauncherTest {

    @TempDir
    Path dir;

    /**
     * A JVM crash (forced here with CrashOnOutOfMemoryError) writes its fatal-error text and whole
     * report to standard error, and no file to the working directory.
     */
    @Test
    void theJvmsFatalErrorTextGoesToStandardError() throws Exception {
        Path launch = Path.of("src/dist/lib/launch.bash").toAbsolutePath();
        Path work = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String script = "source \"$LAUNCH\"; java_cmd=\"$JAVA\"; class_path=\"$CP\"; cds_dir=; warm_up_file=; "
                + "batchwise_launch run --fn misbehave --fn-arg mode=oom -";
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script).directory(work.toFile());
        b.environment().put("LAUNCH", launch.toString());
        b.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        b.environment().put("CP", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        b.environment().put("TMPDIR", tmp.toString());
        b.environment().put("BATCHWISE_JAVA_OPTS", "-XX:+CrashOnOutOfMemoryError -Xmx64m -XX:-CreateCoredumpOnCrash");
        Path errFile = dir.resolve("err.txt"); // a file: the report is longer than a pipe holds
        Process p = b.redirectError(errFile.toFile()).start();
        p.getOutputStream().write("BAD\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String err = Files.readString(errFile);
        assertNotEquals(0, p.exitValue());
        assertTrue(err.contains("A fatal error has been detected by the Java Runtime Environment"), err);
        assertTrue(err.contains("Aborting due to java.lang.OutOfMemoryError"), err);
        assertTrue(err.lines().count() > 50, "the whole report is on standard error");
        // Java 17's HotSpot writes the summary to standard output whatever the flags; nothing more goes there
        assertTrue(out.lines().allMatch(l -> l.startsWith("#")), out);
        try (var files = Files.list(work)) {
            assertEquals(List.of(), files.toList(), "no hs_err file in the working directory");
        }
    }
}
