package dev.batchwise.bench;

import java.util.List;

/**
 * Where a sweep ran, for the report and for reading two sweeps side by side.
 *
 * @param engines one line per model runtime component (DJL, its engines, tokenizers), as {@code --version} lists them
 */
public record Machine(int cores, String jvm, String os, String batchwiseVersion, List<String> engines) {

    public Machine {
        engines = List.copyOf(engines);
    }

    /** This machine and JVM, with the given engine lines. */
    public static Machine current(String batchwiseVersion, List<String> engines) {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                batchwiseVersion, engines);
    }
}
