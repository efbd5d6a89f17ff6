package dev.batchwise.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** The entry point: the only place that calls {@link System#exit} ({@link ExitGuard} reports any other). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        Io io = new Io(System.in, new FileOutputStream(FileDescriptor.out), System.getenv(), stderrIsTerminal(),
                OsSignals.INSTANCE, terminal(0) != null, stdoutSharesTerminal());
        ExitGuard.install();
        int code = BatchwiseCommand.commandLine(io).execute(args);
        System.out.flush();
        System.err.flush();
        ExitGuard.exiting();
        System.exit(code);
    }

    /**
     * Java cannot ask whether standard error is a terminal, so the launcher asks the shell
     * ({@code [ -t 2 ]}) and passes the answer as {@code batchwise.stderr.tty}; without it, Linux's
     * /proc tells where file descriptor 2 points.
     */
    /**
     * Whether standard output goes to the terminal standard error goes to (Linux's /proc tells): the
     * progress line would then be drawn among the data lines.
     */
    static boolean stdoutSharesTerminal() {
        String out = terminal(1);
        return out != null && out.equals(terminal(2));
    }

    /** The terminal device file descriptor {@code fd} is, or null when it is none (or /proc cannot tell). */
    static String terminal(int fd) {
        try {
            String t = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty") ? t : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    static boolean stderrIsTerminal() {
        String told = System.getProperty("batchwise.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
            String t = target.toString();
            return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
