package dev.batchwise.testing;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A process that locks a file, says {@code locked} on standard output, and holds the lock until its
 * standard input ends or it is killed: another process's lock, for tests of what locks tell.
 */
public final class HoldsLock {

    private HoldsLock() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
            channel.lock();
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock
            }
        }
    }
}
