package dev.batchwise.cli;

import dev.batchwise.pipeline.AbruptExit;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.Plugins;
import dev.batchwise.util.Text;
import java.io.PrintStream;
import java.util.Map;

/**
 * Reports an exit batchwise did not start. Only {@link Main} ends the process with a code of its
 * choosing (and the signal handlers, with theirs); when anything else calls {@code System.exit}, a
 * plugin's function say, its code would pass for one of ours (3, "input unreadable"), with no word
 * said. A shutdown hook sees such an exit: it names the class that called it (and the plugin jar it
 * comes from), and halts with {@link ExitCodes#FUNCTION} for a plugin, {@link ExitCodes#SOFTWARE}
 * otherwise. The output of a run it ends stays unfinished ({@code FILE.partial}), holding the records
 * written before the exit, flushed under the sink's lock ({@link AbruptExit}), so that a resumed run
 * does not run them again.
 */
final class ExitGuard {

    /** Set by {@link Main} just before it exits: that exit is ours. */
    private static volatile boolean ours;

    private ExitGuard() {}

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitGuard::check, "batchwise-exit-guard"));
    }

    /** The exit about to happen is batchwise's own. */
    static void exiting() {
        ours = true;
    }

    private static void check() {
        if (ours) {
            return;
        }
        StackTraceElement caller = caller();
        if (caller == null) {
            return; // the JVM ending on its own: a signal's default action, or the last thread ending
        }
        boolean plugin = Plugins.LOADER_NAME.equals(caller.getClassLoaderName());
        PrintStream err = System.err;
        err.println();
        err.println("batchwise: " + Text.printable((plugin ? "a plugin" : "code that is not batchwise's")
                + " called System.exit: " + caller.getClassName() + "." + caller.getMethodName()
                + (plugin ? pluginJar(caller.getClassName()) : "")
                + "; a function must throw instead, and the run was abandoned (exit code "
                + (plugin ? ExitCodes.FUNCTION : ExitCodes.SOFTWARE) + ")"));
        err.flush();
        // the records written before the exit reach the partial output and the errors file, for a resume
        for (String note : AbruptExit.keepWritten()) {
            err.println("batchwise: " + note);
        }
        err.flush();
        Runtime.getRuntime().halt(plugin ? ExitCodes.FUNCTION : ExitCodes.SOFTWARE);
    }

    /**
     * The frame that called {@code System.exit} or {@code Runtime.exit}, in the thread that is
     * exiting; {@code null} when the exit came from the JDK itself (a signal) or no thread is exiting.
     */
    private static StackTraceElement caller() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] frames = e.getValue();
            for (int i = 0; i < frames.length; i++) {
                if (frames[i].getClassName().equals("java.lang.Shutdown") && frames[i].getMethodName().equals("exit")) {
                    int c = i + 1;
                    while (c < frames.length && (frames[c].getClassName().equals("java.lang.Runtime")
                            || frames[c].getClassName().equals("java.lang.System"))) {
                        c++;
                    }
                    if (c == i + 1 || c >= frames.length) {
                        return null; // Shutdown.exit called by the JDK (Terminator, for a signal)
                    }
                    String cls = frames[c].getClassName();
                    return cls.equals(Main.class.getName()) ? null : frames[c];
                }
            }
        }
        return null;
    }

    /** ", from plugin JAR" for a class of the plugin loader, or "" when its jar cannot be told. */
    private static String pluginJar(String className) {
        String jar = Plugins.jarOf(className);
        return jar == null ? "" : ", from plugin " + jar;
    }
}
