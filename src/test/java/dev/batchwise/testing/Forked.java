package dev.batchwise.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs batchwise in a JVM of its own, for what only a process shows: signals, pipes, a heap limit. */
public final class Forked {

    private Forked() {}

    /**
     * A process builder for {@code java JVM_OPTIONS -cp TEST_CLASS_PATH dev.batchwise.cli.Main ARGS}, with
     * the test class path so that the test-only functions are there.
     */
    public static ProcessBuilder batchwise(List<String> jvmOptions, String... args) {
        return java(jvmOptions, "dev.batchwise.cli.Main", args);
    }

    /** A process builder for {@code java JVM_OPTIONS -cp TEST_CLASS_PATH MAIN_CLASS ARGS}. */
    public static ProcessBuilder java(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(mainClass);
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
