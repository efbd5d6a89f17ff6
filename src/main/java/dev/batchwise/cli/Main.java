package dev.batchwise.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** The entry point: the only place that calls {@link System#exit} ({@link ExitGuard} reports any other). */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        StandardStreams std = StandardStreams.ofProcess();
        Io io = new Io(std.in(), std.out(), System.getenv(), stderrIsTerminal(), OsSignals.INSTANCE,
                terminal(0) != null, stdoutSharesTerminal());
        ExitGuard.install();
        CommandLine cl = BatchwiseCommand.commandLine(io);
        cl.setOut(std.writer());
        String notUtf8 = notUtf8(args);
        int code;
        if (notUtf8 != null) {
            cl.getErr().println("batchwise: the argument '" + dev.batchwise.util.Text.printable(notUtf8) + "' is not "
                    + "valid UTF-8; Java cannot use such a name byte for byte, so nothing was run: rename the file "
                    + "(e.g. with convmv) or give a link to it whose name is UTF-8");
            cl.getErr().flush();
            code = dev.batchwise.run.ExitCodes.USAGE;
        } else {
            code = std.exitCode(cl.execute(args), cl.getErr());
        }
        System.out.flush();
        System.err.flush();
        ExitGuard.exiting();
        System.exit(code);
    }

    /**
     * The first argument that held bytes that are not UTF-8, or {@code null}. Java decodes the
     * arguments as UTF-8 (the launcher makes sure of the locale) and puts U+FFFD where a byte did not
     * decode: a path made of that text would name another file, or none.
     */
    static String notUtf8(String[] args) {
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return a;
            }
        }
        return null;
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
