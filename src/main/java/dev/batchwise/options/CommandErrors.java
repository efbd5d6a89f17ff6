package dev.batchwise.options;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.run.RunException;
import dev.batchwise.util.SettingException;
import dev.batchwise.util.Phrased;
import dev.batchwise.util.Text;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/**
 * How every command-line front end (the command line and the Spark job) ends on a failure: one
 * exception-to-exit-code mapping ({@link ExitCodes#of}, with picocli's own usage errors as exit 2),
 * and one way of saying it. A usage error (exit 2) says what is wrong and where to find help; a
 * failure the user can act on (an input, an output, a function that cannot be loaded) says what and
 * where in one line, its stack trace only with {@code --verbose}; anything else is a bug, said as
 * one. Settings in messages are named as the command names them ({@link OptionNames}).
 */
public final class CommandErrors implements CommandLine.IExitCodeExceptionMapper,
        CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    private final UnaryOperator<String> errorStyle;

    /** @param errorStyle how an error's message is shown (in colour on a terminal) */
    private CommandErrors(UnaryOperator<String> errorStyle) {
        this.errorStyle = errorStyle;
    }

    /** Makes {@code cl} and its subcommands end on failures this way. */
    public static void install(CommandLine cl, UnaryOperator<String> errorStyle) {
        CommandErrors errors = new CommandErrors(errorStyle);
        cl.setExitCodeExceptionMapper(errors);
        cl.setExecutionExceptionHandler(errors);
        cl.setParameterExceptionHandler(errors);
    }

    @Override
    public int getExitCode(Throwable failure) {
        return failure instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.of(failure);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        String message = e instanceof CommandLine.UnmatchedArgumentException u ? Unmatched.describe(u)
                : Messages.tidy(e.getMessage());
        return usageError(e.getCommandLine(), message, e);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        int code = getExitCode(e);
        String message = e instanceof Phrased p ? p.phrase().render(new OptionNames(cl.getCommandSpec()))
                : e.getMessage();
        Throwable failure = e instanceof RunException && e.getCause() != null ? e.getCause() : e;
        if (failure instanceof SettingException s && s.helpHelps()) {
            return usageError(cl, message, e);
        }
        PrintWriter err = cl.getErr();
        boolean verbose = verbose(parsed);
        if (code != ExitCodes.SOFTWARE || e instanceof RunException) {
            err.println("batchwise: " + errorStyle.apply(Text.printable(message)));
            if (verbose && e.getCause() != null) {
                e.getCause().printStackTrace(err);
            }
        } else {
            err.println("batchwise: " + errorStyle.apply(Text.printable("internal error: " + e)));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("Run again with --verbose to see where, and please report it.");
            }
        }
        err.flush();
        return code;
    }

    /** {@code batchwise run: MESSAGE}, then where to find help; the message may quote what was typed. */
    private int usageError(CommandLine cl, String message, Exception e) {
        PrintWriter err = cl.getErr();
        String command = cl.getCommandSpec().qualifiedName(" ");
        // escaped, so that what was typed cannot steer the terminal
        err.println(command + ": " + errorStyle.apply(Text.printable(message)));
        err.println("Try '" + command + " --help' for more information.");
        err.flush();
        return getExitCode(e);
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
