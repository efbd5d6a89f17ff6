package dev.batchwise.testing;

import dev.batchwise.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.Permission;

/**
 * Runs batchwise's {@link Main} under a security manager that refuses every network connection and
 * DNS lookup the Java code makes, and records each attempt (host and port, one per line) in the file
 * named by {@code -Dnetwork.watch.log}. Started in a forked JVM by tests that prove a run stays
 * offline.
 */
public final class NetworkWatch {

    private NetworkWatch() {}

    @SuppressWarnings("removal")
    public static void main(String[] args) {
        Path log = Path.of(System.getProperty("network.watch.log"));
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkConnect(String host, int port) {
                record(host + ":" + port);
                throw new SecurityException("network access refused: " + host + ":" + port);
            }

            @Override
            public void checkConnect(String host, int port, Object context) {
                checkConnect(host, port);
            }

            @Override
            public void checkPermission(Permission perm) {
                // everything else is allowed
            }

            private void record(String target) {
                try {
                    Files.writeString(log, target + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        Main.main(args);
    }
}
