package dev.batchwise.testing;

import dev.batchwise.cli.BatchwiseCommand;
import dev.batchwise.cli.Io;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs a batchwise command in this JVM, then prints (on standard error) which native libraries the
 * process has mapped, one {@code mapped: NAME} line each: a forked JVM's way of showing which
 * engines a run loaded.
 */
public final class LibraryProbe {

    private LibraryProbe() {}

    public static void main(String[] args) throws Exception {
        Io io = new Io(System.in, new FileOutputStream(FileDescriptor.out), Map.of(), false, Io.Signals.NONE);
        int code = BatchwiseCommand.commandLine(io).execute(args);
        Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(p -> p.endsWith(".so") || p.contains(".so."))
                .map(p -> p.substring(p.lastIndexOf('/') + 1))
                .distinct()
                .forEach(name -> System.err.println("mapped: " + name));
        System.exit(code);
    }
}
